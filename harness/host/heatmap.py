"""results/matrix.png and .svg: releases x columns coloured by status (matplotlib, no display)."""
from __future__ import annotations

from pathlib import Path

from harness.host import colors, matrix
from harness.host import findings as fnd


def draw(tables, out_dir: Path) -> list[Path]:
    """Write the heatmap as PNG and SVG; returns their paths."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    wide = tables.matrix
    defaults = fnd.default_variants(tables.tidy)
    statuses = [s for s in colors.STATUS_COLORS if (wide == s).any().any()]
    statuses += sorted({s for s in wide.stack().unique() if s not in statuses})
    index = {s: i for i, s in enumerate(statuses)}
    grid = wide.T.apply(lambda col: col.map(lambda s: index.get(s, float("nan"))))
    labels = []
    for col in wide.columns:
        case, variant, target, source = col.split(matrix.SEP, 3)
        labels.append(f"{case} [{fnd.short_variant(case, variant, defaults) or '-'}] "
                      f"{target} ← {source}")
    height = max(4.0, 0.17 * len(labels) + 2.2)
    width = max(8.0, 0.32 * len(wide.index) + 0.062 * max(len(s) for s in labels) + 1.5)
    fig, ax = plt.subplots(figsize=(width, height))
    cmap = ListedColormap([colors.color(s) for s in statuses] or ["#ffffff"])
    ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap=cmap, vmin=-0.5,
              vmax=max(len(statuses), 1) - 0.5, interpolation="nearest")
    ax.set_xticks(range(len(wide.index)), labels=list(wide.index), rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels=labels, fontsize=7)
    # cell borders as two line collections: minor ticks would cost one artist per line
    ax.vlines([x - 0.5 for x in range(1, len(wide.index))], -0.5, len(labels) - 0.5,
              colors="white", linewidth=0.4)
    ax.hlines([y - 0.5 for y in range(1, len(labels))], -0.5, len(wide.index) - 0.5,
              colors="white", linewidth=0.4)
    ax.set_xlabel("TensorFlow release")
    ax.set_title("Gradient status per release (rows: case [variant] target ← source)", fontsize=10)
    ax.legend(handles=[Patch(color=colors.color(s), label=s) for s in statuses],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    paths = [out_dir / "matrix.png", out_dir / "matrix.svg"]
    fig.savefig(paths[0], dpi=110, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return paths
