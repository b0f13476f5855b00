"""Values compared across releases: gradient and target fingerprints -> results/value_changes.csv.

Every release evaluates a cell at the same inputs (harness.inside.judging.numeric), so a deterministic
gradient whose fingerprint moves between two consecutive releases by more than a tolerance is a
change of TensorFlow's numbers, even where the status stays `grad`. Non-deterministic cells (two runs
in one release differ) never make a change. A target's own value (the forward pass) has source "".
"""
from __future__ import annotations

import math

import pandas as pd

from harness.host.tables.matrix import version_key

# Measured on the committed run: the three stable cases (seed, minimal trigger, Keras) move by at
# most 9.5e-6 of a value's scale between consecutive releases of the 31 (float32 round-off of other
# kernels, e.g. oneDNN from 2.9); 1e-3 is a hundred times that.
DEFAULT_TOL = 1e-3
KEY = ["case", "variant", "target", "source"]
CHANGE_COLUMNS = [*KEY, "last_old", "first_new", "old_value", "new_value", "change"]
_SHOWN = 8  # elements of a small value shown in a table cell
REPORT_ROWS = 40  # value changes listed in report.md (all of them are in value_changes.csv)


def table(docs: list[dict]) -> pd.DataFrame:
    """One row per release x case x variant x target x source with a fingerprint (source '' for the
    target's own value): status, deterministic, fingerprint, and the floor its differences are
    measured against (the largest gradient element of that target in that cell)."""
    rows = []
    for doc in docs:
        version = doc["env"].get("tf_version", "")
        for cell in doc["cells"]:
            values = cell.get("values") or {}
            if "deterministic" not in values:
                continue
            base = {"tf_version": version, "case": cell["case"],
                    "variant": cell.get("variant_label", ""),
                    "deterministic": bool(values["deterministic"])}
            floors: dict[str, float] = {}
            for pair in cell.get("pairs", []):
                scale = (pair.get("value") or {}).get("scale", 0.0)
                floors[pair["target"]] = max(floors.get(pair["target"], 0.0), scale)
            for target, fp in values.get("targets", {}).items():
                rows.append(dict(base, target=target, source="", status="", fingerprint=fp,
                                 floor=0.0))
            for pair in cell.get("pairs", []):
                if pair.get("value"):
                    rows.append(dict(base, target=pair["target"], source=pair["source"],
                                     status=pair["status"], fingerprint=pair["value"],
                                     floor=floors[pair["target"]]))
    return pd.DataFrame(rows, columns=["tf_version", *KEY, "status", "deterministic",
                                       "fingerprint", "floor"])


def _vector(fp: dict) -> list[float]:
    if "values" in fp:
        return [float(x) for x in fp["values"]]
    return [fp["norm"], fp["sum"], *fp["projections"]]


def difference(a: dict, b: dict, floor: float = 0.0) -> float | None:
    """How far two fingerprints are apart: the largest element difference over the larger of the
    two values' scales and `floor`; inf when their shape or NaN/Inf pattern differs; None when
    either is not a number (a target that is not float)."""
    if "size" not in a or "size" not in b:
        return None
    if (a["size"], a["nan"], a["inf"]) != (b["size"], b["nan"], b["inf"]):
        return math.inf
    if ("values" in a) != ("values" in b):
        return None  # every element on one side, a summary on the other (harness versions differ)
    va, vb = _vector(a), _vector(b)
    if len(va) != len(vb):
        return math.inf
    odd = [(i, str(x)) for i, x in enumerate(va) if not math.isfinite(x)]
    if odd != [(i, str(y)) for i, y in enumerate(vb) if not math.isfinite(y)]:
        return math.inf  # a NaN or Inf that appears, goes or moves
    finite = [(x, y) for x, y in zip(va, vb) if math.isfinite(x) and math.isfinite(y)]
    scale = max([floor] + [abs(v) for pair in finite for v in pair])
    if scale == 0:
        return 0.0
    return max((abs(x - y) for x, y in finite), default=0.0) / scale


def show(fp: dict) -> str:
    """A fingerprint as table text: the elements of a small value, else its summary."""
    if "why" in fp:
        return fp["why"]
    if "values" in fp:
        shown = ", ".join(f"{float(x):.6g}" for x in fp["values"][:_SHOWN])
        more = f", … ({fp['size']} elements)" if fp["size"] > _SHOWN else ""
        return f"[{shown}{more}]"
    text = f"norm {fp['norm']:.6g}, sum {fp['sum']:.6g} ({fp['size']} elements)"
    if fp["nan"] or fp["inf"]:
        text += f", {fp['nan']} NaN, {fp['inf']} Inf"
    return text


def _moves(values: pd.DataFrame):
    """(key, previous row, row, difference) for consecutive releases of each value that are both
    deterministic and have the same status; a non-deterministic release breaks the chain."""
    for key, grp in values.groupby(KEY, sort=False):
        order = sorted(range(len(grp)), key=lambda i: version_key(grp.iloc[i].tf_version))
        prev = None
        for row in grp.iloc[order].itertuples():
            if not row.deterministic:
                prev = None
                continue
            if prev is not None and prev.status == row.status:
                moved = difference(prev.fingerprint, row.fingerprint, max(prev.floor, row.floor))
                if moved is not None:
                    yield key, prev, row, moved
            prev = row


def changes(values: pd.DataFrame, tol: float = DEFAULT_TOL) -> pd.DataFrame:
    """Each move of a value between consecutive releases larger than tol (see _moves)."""
    rows = [[*key, prev.tf_version, row.tf_version, show(prev.fingerprint), show(row.fingerprint),
             moved] for key, prev, row, moved in _moves(values) if moved > tol] \
        if not values.empty else []
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def spread(values: pd.DataFrame) -> float:
    """The largest finite relative move between consecutive releases: the figure the default
    tolerance is chosen from (measured on a stable case)."""
    if values.empty:
        return 0.0
    return max((m for _, _, _, m in _moves(values) if math.isfinite(m)), default=0.0)
