"""The heatmaps (matplotlib, no display): releases x columns coloured by status.

results/matrix.png/.svg leads with the change: the changing columns first, grouped under their
transition, then one row per case and history for the columns that never change.
results/matrix-full.png/.svg has one row per column, in matrix order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.host.reports import colors, glance
from harness.host.tables import nightly

ROW_INCHES = 0.17
CELL_INCHES = 0.32


@dataclass
class _Row:
    label: str
    series: list[str] | None = None  # None: a section header
    count: int = 1  # columns a steady row stands for


def draw(tables, out_dir: Path) -> list[Path]:
    """Write matrix.png/.svg (the change first) and matrix-full.png/.svg; returns their paths."""
    return draw_glance(tables, out_dir) + draw_full(tables, out_dir)


def draw_glance(tables, out_dir: Path) -> list[Path]:
    """matrix.png/.svg: changing columns by transition on top, the steady rest as a band."""
    rows, marks, title = glance_rows(tables)
    wide = tables.matrix
    return _render(rows, list(wide.index), _statuses(wide), title, marks, out_dir / "matrix",
                   row_inches=0.2, cell_inches=0.24, fontsize=8.5, no_result=_gaps(tables))


def glance_rows(tables) -> tuple[list[_Row], list[tuple[int, int, int]], str]:
    """The rows of matrix.png top to bottom, the change marks (x, y0, y1) and the title."""
    wide, variants = tables.matrix, tables.analysis.variants
    changing, steady = glance.sections(tables)
    versions = list(wide.index)
    rows, marks = [], []
    for sec in changing:
        n = len(sec.columns)
        rows.append(_Row(f"{sec.label} ({n} column{'s' if n > 1 else ''})"))
        start = len(rows)
        rows += [_Row(glance.row_label(c, variants), _series(wide[c])) for c in sec.columns]
        marks += [(versions.index(b), start, len(rows)) for b in sec.boundaries if b in versions]
    if steady:
        n = sum(len(r.columns) for r in steady)
        head = "no column changes: " if not changing else "never change: "
        rows.append(_Row(f"{head}{n} column{'s' if n > 1 else ''}, one row per case and history"))
        rows += [_Row(r.label, r.series, len(r.columns)) for r in steady]
    n_change = sum(len(s.columns) for s in changing)
    title = (f"Gradient status per release: {n_change} of {len(wide.columns)} columns change "
             f"(rows: case [variant] target ← source)")
    return rows, marks, title


def draw_full(tables, out_dir: Path) -> list[Path]:
    """matrix-full.png/.svg: one row per column of the matrix, in matrix order."""
    wide, variants = tables.matrix, tables.analysis.variants
    rows = [_Row(glance.row_label(c, variants), _series(wide[c])) for c in wide.columns]
    title = "Gradient status per release (rows: case [variant] target ← source)"
    return _render(rows, list(wide.index), _statuses(wide), title, [], out_dir / "matrix-full",
                   no_result=_gaps(tables))


def _gaps(tables) -> set[str]:
    """The releases of the matrix with no result (drawn as a hatched column, labelled so)."""
    return {g.release for g in tables.no_results}


def _series(col) -> list[str]:
    return [s if isinstance(s, str) else "" for s in col]


def _statuses(wide) -> list[str]:
    """Statuses present, in the order of colors.STATUS_COLORS, unknown ones after them."""
    present = {s for s in wide.to_numpy().ravel() if isinstance(s, str)}
    statuses = [s for s in colors.STATUS_COLORS if s in present]
    return statuses + sorted(present - set(statuses))


def _render(rows: list[_Row], versions: list[str], statuses: list[str], title: str,
            marks: list[tuple[int, int, int]], stem: Path, row_inches: float = ROW_INCHES,
            cell_inches: float = CELL_INCHES, fontsize: float = 7,
            no_result: set[str] = frozenset()) -> list[Path]:
    """Draw rows x versions; a header row is a bold label over a blank strip. marks: (x, y0, y1)
    of a change: a dark line before release x along rows y0..y1-1. Releases of `no_result` are
    hatched columns whose label says 'no result'."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch, Rectangle

    index = {s: i for i, s in enumerate(statuses)}
    grid = np.full((len(rows), len(versions)), np.nan)
    for y, row in enumerate(rows):
        if row.series is not None:
            grid[y] = [index.get(s, np.nan) for s in row.series]
    labels = [r.label for r in rows]
    # cells of a fixed size in inches: the axes is placed by hand, labels and legend around it
    # (savefig's tight box grows or trims the figure to what is drawn)
    grid_w, grid_h = cell_inches * len(versions), row_inches * len(rows)
    label_w = 0.0075 * fontsize * max(map(len, labels)) + 0.2
    width, height = label_w + grid_w + 1.5, grid_h + 1.4
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((label_w / width, 1.0 / height, grid_w / width, grid_h / height))
    cmap = ListedColormap([colors.color(s) for s in statuses] or ["#ffffff"]).with_extremes(
        bad="#ffffff")
    ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap, vmin=-0.5,
              vmax=max(len(statuses), 1) - 0.5, interpolation="nearest")
    ax.set_xticks(range(len(versions)), labels=[
        nightly.label(v) + (" · no result" if v in no_result else "") for v in versions],
        rotation=90, fontsize=8)
    for x, (tick, version) in enumerate(zip(ax.get_xticklabels(), versions)):
        if version in no_result:
            tick.set_color("#a50026")
            tick.set_fontweight("bold")
            ax.add_patch(Rectangle((x - 0.5, -0.5), 1, len(rows), fill=False, hatch="////",
                                   edgecolor="#d73027", linewidth=0))
    ax.set_yticks(range(len(rows)), labels=labels, fontsize=fontsize)
    for tick, row in zip(ax.get_yticklabels(), rows):
        if row.series is None:
            tick.set_fontweight("bold")
            tick.set_fontsize(fontsize + 1)
    # cell borders as two line collections: minor ticks would cost one artist per line
    ax.vlines([x - 0.5 for x in range(1, len(versions))], -0.5, len(rows) - 0.5,
              colors="white", linewidth=0.4)
    ax.hlines([y - 0.5 for y in range(1, len(rows))], -0.5, len(versions) - 0.5,
              colors="white", linewidth=0.4)
    for x, y0, y1 in marks:
        ax.vlines([x - 0.5], y0 - 0.5, y1 - 0.5, colors="#000000", linewidth=1.6)
    ax.set_xlabel("TensorFlow release")
    # the title starts at the picture's left edge: over a narrow grid it would run off to the right
    fig.text(0.0, (grid_h + 1.0 + 0.15) / height, title, fontsize=10, ha="left", va="bottom")
    ax.legend(handles=[Patch(color=colors.color(s), label=s) for s in statuses],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    fig.savefig(paths[0], dpi=110, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return paths
