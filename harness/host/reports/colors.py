"""One colour per status, shared by the HTML page and the heatmap (colour-blind-safe where it matters)."""

STATUS_COLORS = {
    "grad": "#1a9850",
    "none": "#f46d43",
    "zero": "#fee08b",
    "mismatch": "#d73027",
    "nonfinite": "#e7298a",
    "unavailable": "#abd9e9",
    "error": "#7b3294",
    "crash": "#40004b",
    "timeout": "#c2a5cf",
    "skipped": "#d9d9d9",
    "install_failed": "#969696",
}
UNKNOWN = "#ffffff"


def color(status: str) -> str:
    """The colour of a status; white for a status this harness does not know."""
    return STATUS_COLORS.get(status, UNKNOWN)


def text_color(status: str) -> str:
    """Black or white, whichever reads on the status colour."""
    dark = ("grad", "mismatch", "nonfinite", "error", "crash", "install_failed")
    return "#ffffff" if status in dark else "#000000"
