"""What the pictures lead with: the changing columns grouped by transition, then the steady rest.

Shared by the heatmap and report.html. A column changes when its outcome changes along releases
(matrix.transitions: statuses that say nothing about TensorFlow, such as skipped, are not outcomes).
The columns that never change are summarised as one row per case and history of statuses.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from harness.host.tables import load, matrix, nightly
from harness.host.tables.variants import Variants
from harness.schema import NOT_OUTCOMES

ARROW = "→"


@dataclass
class Section:
    """Columns of the matrix shown together under one label."""

    label: str
    columns: list[tuple] = field(default_factory=list)  # (case, variant, target, source)
    boundaries: list[str] = field(default_factory=list)  # first release of each change


@dataclass
class SteadyRow:
    """Columns of one case that never change and share one history of statuses."""

    case: str
    columns: list[tuple]
    series: list[str]
    label: str = ""
    variant: str = ""  # the short variant when all columns share one


def row_label(column: tuple[str, str, str, str], variants: Variants) -> str:
    """'case [variant] target ← source'; no brackets for a case without variants."""
    case, variant, target, source = column
    short = variants.short(case, variant)
    return f"{case}{f' [{short}]' if short else ''} {target} ← {source}"


def group_label(case: str, variant: str, target: str, variants: Variants) -> str:
    """'case · variant · target'; no variant part for a case without variants."""
    short = variants.short(case, variant)
    return " · ".join(p for p in (case, short, target) if p)


def transition_label(changes: list[tuple[str, ...]], versions: list[str]) -> str:
    """'none → grad at 1.9.0' per change; '(last none: 1.5.0)' when releases lie in between;
    'none → grad between 1.8.0 and 1.10.1 (1.9: no result)' when releases between have no result
    for the column (changes: (old, new, last_old, first_new[, no_result_between]))."""
    parts = []
    for old, new, last_old, first_new, *gap in changes:
        missing = gap[0] if gap else ""
        if missing:
            parts.append(f"{old} {ARROW} {new} between {nightly.label(last_old)} and "
                         f"{nightly.label(first_new)} ({missing.replace('; ', ', ')}: no result)")
            continue
        text = f"{old} {ARROW} {new} at {nightly.label(first_new)}"
        i = versions.index(first_new) if first_new in versions else -1
        if i <= 0 or versions[i - 1] != last_old:
            text += f" (last {old}: {last_old})"
        parts.append(text)
    return ", then ".join(parts)


def changing_sections(wide: pd.DataFrame, trans: pd.DataFrame) -> list[Section]:
    """The changing columns grouped by their transitions, earliest change first, then biggest."""
    versions = list(wide.index)
    changes: dict[tuple, list[tuple[str, str, str, str]]] = {}
    for row in trans.itertuples(index=False):
        col = (row.case, row.variant, row.target, row.source)
        changes.setdefault(col, []).append(
            (row.old_status, row.new_status, row.last_old, row.first_new,
             getattr(row, "no_result_between", "") or ""))
    sections: dict[tuple, Section] = {}
    for col in wide.columns:
        if col not in changes:
            continue
        key = tuple(changes[col])
        if key not in sections:
            sections[key] = Section(transition_label(list(key), versions),
                                    boundaries=[c[3] for c in key])
        sections[key].columns.append(col)
    return sorted(sections.values(),
                  key=lambda s: ([matrix.version_key(b) for b in s.boundaries], -len(s.columns)))


def steady_rows(wide: pd.DataFrame, changing: set[tuple],
                variants: Variants | None = None) -> list[SteadyRow]:
    """The columns not in changing, one row per case and history of statuses, in column order."""
    rows: dict[tuple, SteadyRow] = {}
    for col in wide.columns:
        if col in changing:
            continue
        case = col[0]
        series = [s if isinstance(s, str) else "" for s in wide[col]]
        key = (case, tuple(series))
        if key not in rows:
            rows[key] = SteadyRow(case, [], series)
        rows[key].columns.append(col)
    for row in rows.values():
        labels = {c[1] for c in row.columns}
        if len(labels) == 1:
            row.variant = (variants or Variants()).short(row.case, labels.pop())
        row.label = _steady_label(row)
    return list(rows.values())


def _steady_label(row: SteadyRow) -> str:
    """'case: 62 × grad', with the pairs when few, and the releases without an outcome counted."""
    outcomes = sorted({s for s in row.series if s and s not in NOT_OUTCOMES})
    others = {s: row.series.count(s) for s in dict.fromkeys(row.series) if s in NOT_OUTCOMES}
    where = f" [{row.variant}]" if row.variant else ""
    if not outcomes:  # never ran: a skipped or not installed case has no pairs to name
        return f"{row.case}{where}: {' / '.join(others) or 'no result'} in every release"
    text = f"{row.case}{where}: {len(row.columns)} × {', '.join(outcomes)}"
    pairs = [c[2:] for c in row.columns]
    targets = list(dict.fromkeys(t for t, _ in pairs))
    sources = list(dict.fromkeys(s for _, s in pairs))
    if len(targets) == 1 and len(sources) <= 3 and targets[0] != load.ANY:
        text += f" ({targets[0]} ← {', '.join(sources)})"
    if others:
        text += "; " + ", ".join(f"{s} on {n} release{'s' if n > 1 else ''}"
                                 for s, n in others.items())
    return text


def sections(tables) -> tuple[list[Section], list[SteadyRow]]:
    """Both parts of a picture of tables: changing sections first, then the steady rows."""
    changing = changing_sections(tables.matrix, tables.transitions)
    return changing, steady_rows(tables.matrix, {c for s in changing for c in s.columns},
                                 tables.analysis.variants)
