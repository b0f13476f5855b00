"""results/report.html: one self-contained page, the whole matrix coloured by status.

Every string that came from a case, a variable, an exception or an environment is escaped.
"""
from __future__ import annotations

from html import escape

from harness.host import colors, matrix
from harness.host import findings as fnd
from harness.schema import STATUSES

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th.rel{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:12px}
td.s{font-size:11px;text-align:center;min-width:3.2em}
tr.group th{background:#f3f3f3}
.legend span{display:inline-block;padding:2px 8px;margin:2px;border-radius:3px}
"""


def _status_cell(status, detail) -> str:
    status = "" if status is None or status != status else str(status)
    return (f'<td class="s" style="background:{colors.color(status)};'
            f'color:{colors.text_color(status)}" title="{escape(detail)}">{escape(status)}</td>')


def render(tables) -> str:
    """The page as one string."""
    defaults = fnd.default_variants(tables.tidy)
    everything = fnd.findings(tables.tidy, tables.transitions)
    found = [f for f in everything if not f.availability]
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>TensorFlow gradient regression report</title>", f"<style>{_CSS}</style>",
             "</head><body>", "<h1>TensorFlow gradient regression report</h1>", "<h2>What changed</h2>"]
    if found:
        parts.append("<ul>" + "".join(
            f"<li>{escape(f.sentence(fnd.short_variant(f.case, f.variant, defaults)))}</li>"
            for f in found) + "</ul>")
    else:
        parts.append("<p>Nothing: every column has the same status in every release that ran.</p>")
    appear = [f for f in everything if f.availability]
    if appear:
        parts.append("<h2>APIs that appear</h2><p>Not a change of behaviour: the API the case uses "
                     "does not exist in the earlier releases (<code>unavailable</code>).</p><ul>"
                     + "".join(f"<li>{escape(f.sentence(fnd.short_variant(f.case, f.variant, defaults)))}"
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
    wide = tables.matrix
    details = {(r.tf_version, r.case, r.variant, r.target, r.source): r.detail
               for r in tables.tidy.itertuples()}
    head = "<tr><th>case · variant · target<br>source</th>" + "".join(
        f'<th class="rel">{escape(str(v))}</th>' for v in wide.index) + "</tr>"
    rows, group = [head], None
    for col in wide.columns:
        case, variant, target, source = col.split(matrix.SEP, 3)
        key = (case, variant, target)
        if key != group:
            group = key
            label = f"{case} · {fnd.short_variant(case, variant, defaults) or '-'} · {target}"
            rows.append(f'<tr class="group"><th colspan="{len(wide.index) + 1}" '
                        f'title="{escape(variant)}">{escape(label)}</th></tr>')
        cells = "".join(_status_cell(wide.at[v, col], details.get((v, case, variant, target, source), ""))
                        for v in wide.index)
        rows.append(f"<tr><td>{escape(source)}</td>{cells}</tr>")
    return "<table>" + "\n".join(rows) + "</table>"


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
                   for r in fnd.environment_rows(tables))
    return ("<h2>Environments</h2><table><tr>" + "".join(f"<th>{h}</th>" for h in fnd.ENV_HEADER)
            + "</tr>" + body + "</table>")
