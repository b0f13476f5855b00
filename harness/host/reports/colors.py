"""One colour per status, shared by the HTML page and the heatmap: harness.schema's VOCABULARY."""
from harness.schema import VOCABULARY

STATUS_COLORS = {status: v.color for status, v in VOCABULARY.items()}
UNKNOWN = "#ffffff"


def color(status: str) -> str:
    """The colour of a status; white for a status this harness does not know."""
    return STATUS_COLORS.get(status, UNKNOWN)


def text_color(status: str) -> str:
    """Black or white, whichever reads on the status colour."""
    return VOCABULARY[status].text_color if status in VOCABULARY else "#000000"
