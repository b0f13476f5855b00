"""results/report.html: one self-contained page, the whole matrix coloured by status.

The changing columns come first, grouped by transition; the columns that never change follow as one
row per case and history, and one row each folded in <details>.

Every string that came from a case, a variable, an exception or an environment is escaped.
"""
from __future__ import annotations

from html import escape

from harness.host.reports import colors, glance
from harness.host.tables import analysis
from harness.schema import STATUSES

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th.rel{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:12px}
td.s{font-size:11px;text-align:center;min-width:3.2em}
tr.group th{background:#f3f3f3}
tr.transition th{background:#333;color:#fff}
td.change{border-left:3px solid #000}
details{margin:1em 0}
.legend span{display:inline-block;padding:2px 8px;margin:2px;border-radius:3px}
"""


def _status_cell(status, detail, extra_class: str = "") -> str:
    status = "" if status is None or status != status else str(status)
    cls = f"s {extra_class}".strip()
    return (f'<td class="{cls}" style="background:{colors.color(status)};'
            f'color:{colors.text_color(status)}" title="{escape(detail)}">{escape(status)}</td>')


def render(tables, root=None) -> str:
    """The page as one string."""
    an = tables.analysis
    defaults = an.variants
    everything = an.findings
    found = an.changes
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>TensorFlow gradient regression report</title>", f"<style>{_CSS}</style>",
             "</head><body>", "<h1>TensorFlow gradient regression report</h1>", "<h2>What changed</h2>"]
    if found:
        parts.append("<ul>" + "".join(
            f"<li>{escape(f.sentence(defaults.short(f.case, f.variant)))}</li>"
            for f in found) + "</ul>")
    else:
        parts.append("<p>Nothing: every column has the same status in every release that ran.</p>")
    appear = [f for f in everything if f.availability]
    if appear:
        parts.append("<h2>APIs that appear</h2><p>Not a change of behaviour: the API the case uses "
                     "does not exist in the earlier releases (<code>unavailable</code>).</p><ul>"
                     + "".join(f"<li>{escape(f.sentence(defaults.short(f.case, f.variant)))}"
                               "</li>" for f in appear) + "</ul>")
    parts.append(_value_changes(tables))
    parts.append('<h2>Matrix</h2><div class="legend">' + "".join(
        f'<span style="background:{colors.color(s)};color:{colors.text_color(s)}" '
        f'title="{escape(m)}">{escape(s)}</span>' for s, m in STATUSES.items()) + "</div>")
    parts.append(_matrix(tables, defaults))
    parts.append(_environments(tables))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _matrix(tables, defaults) -> str:
    """The changing columns by transition, the steady rest one row per case and history, then
    every steady column folded."""
    wide = tables.matrix
    details = {(r.tf_version, r.case, r.variant, r.target, r.source): r.detail
               for r in tables.tidy.itertuples()}
    changing, steady = glance.sections(tables)
    head = "<tr><th>{}</th>" + "".join(
        f'<th class="rel">{escape(str(v))}</th>' for v in wide.index) + "</tr>"
    parts = []
    if changing:
        n = sum(len(sec.columns) for sec in changing)
        parts.append(f"<h3>Columns that change ({n} of {len(wide.columns)})</h3>")
        rows = [head.format("transition<br>case · variant · target<br>source")]
        for sec in changing:
            k = len(sec.columns)
            rows.append(f'<tr class="transition"><th colspan="{len(wide.index) + 1}">'
                        f'{escape(sec.label)} ({k} column{"s" if k > 1 else ""})</th></tr>')
            rows += _column_rows(wide, sec.columns, details, defaults, set(sec.boundaries))
        parts.append("<table>" + "\n".join(rows) + "</table>")
    else:
        parts.append("<p>No column changes: every column has one status in every release that ran "
                     "it.</p>")
    if steady:
        n = sum(len(r.columns) for r in steady)
        parts.append(f"<h3>Columns that never change ({n})</h3>")
        rows = [head.format("case: columns × status")]
        for row in steady:
            cells = "".join(_status_cell(s, f"{len(row.columns)} columns") for s in row.series)
            rows.append(f"<tr><td>{escape(row.label)}</td>{cells}</tr>")
        parts.append("<table>" + "\n".join(rows) + "</table>")
        rest = [c for r in steady for c in r.columns]
        rest = [c for c in wide.columns if c in set(rest)]
        parts.append(f"<details><summary>All {n} columns that never change, one row each</summary>"
                     "<table>" + "\n".join([head.format("case · variant · target<br>source"),
                                             *_column_rows(wide, rest, details, defaults)])
                     + "</table></details>")
    return "\n".join(parts)


def _column_rows(wide, columns, details, defaults, boundaries=frozenset()) -> list[str]:
    """A group row per case · variant · target, then a row per source; a change's first release
    gets a dark left border."""
    rows, group = [], None
    for col in columns:
        case, variant, target, source = col
        if (case, variant, target) != group:
            group = (case, variant, target)
            rows.append(f'<tr class="group"><th colspan="{len(wide.index) + 1}" '
                        f'title="{escape(variant)}">'
                        f'{escape(glance.group_label(case, variant, target, defaults))}</th></tr>')
        cells = "".join(
            _status_cell(wide.at[v, col], details.get((v, case, variant, target, source), ""),
                         "change" if v in boundaries else "")
            for v in wide.index)
        rows.append(f"<tr><td>{escape(source)}</td>{cells}</tr>")
    return rows


def _value_changes(tables) -> str:
    moved = tables.value_changes
    if moved.empty:
        return ""
    head = ["case", "variant", "target", "source", "last old", "first new", "old value",
            "new value", "change"]
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in (
            r.case, r.variant, r.target, r.source or "(value of the target)", r.last_old,
            r.first_new, r.old_value, r.new_value, f"{r.change:.3g}")) + "</tr>"
        for r in moved.itertuples())
    return (f"<h2>Values that changed</h2><p>Same inputs on every release; a move larger than "
            f"{tables.value_tol:g} of the value's scale between consecutive releases with the same "
            "status.</p><table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>" + body
            + "</table>")


def _environments(tables) -> str:
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
                   for r in tables.analysis.environments)
    return ("<h2>Environments</h2><table><tr>" + "".join(f"<th>{h}</th>" for h in analysis.ENV_HEADER)
            + "</tr>" + body + "</table>")
