"""results/report.html: one self-contained page, every section of report.md and the whole matrix
coloured by status.

The page is templates/report.html.j2 (Jinja2, autoescaped: every string that came from a case, a
variable, an exception or an environment is escaped); this module hands it the report's analysis
and the rows of the coloured matrix. In the matrix the changing columns come first, grouped by
transition; the columns that never change follow as one row per case and history, and one row each
folded in <details>.
"""
from __future__ import annotations

from pathlib import Path

import jinja2

from harness.host.envs import toxini
from harness.host.reports import colors, glance, mdreport
from harness.host.tables import analysis, coverage, provenance
from harness.host.tables import findings as fnd
from harness.schema import STATUSES

TEMPLATES = Path(__file__).resolve().parent / "templates"
_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{overflow-wrap:normal}
.box{max-width:100%;overflow-x:auto}
code{overflow-wrap:anywhere}
th.rel{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:12px}
td.s{font-size:10px;text-align:center;min-width:2.6em;padding:2px 1px;word-break:break-all}
th.rel{padding:2px 1px}
th.none{background:repeating-linear-gradient(45deg,#fff,#fff 4px,#f4c7c3 4px,#f4c7c3 8px);color:#a50026}
tr.group th{background:#f3f3f3}
tr.transition th{background:#333;color:#fff}
td.change{border-left:3px solid #000}
details{margin:1em 0}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto}
.legend span{display:inline-block;padding:2px 8px;margin:2px;border-radius:3px}
"""


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render(tables, root: Path = toxini.ROOT) -> str:
    """The page as one string."""
    an = tables.analysis
    wide = tables.matrix
    versions = list(wide.index)
    details = {(r.tf_version, r.case, r.variant, r.target, r.source): r.detail
               for r in tables.tidy.itertuples()}

    def named(text: str) -> str:
        for version, label in an.nightly_names.items():
            text = text.replace(version, label)
        return text

    def rows(columns, boundaries=frozenset()) -> list[dict]:
        """A group row per case · variant · target, then a row per source."""
        out, group = [], None
        for col in columns:
            case, variant, target, source = col
            if col[:3] != group:
                group = col[:3]
                out.append({"group": glance.group_label(case, variant, target, an.variants),
                            "variant": variant})
            out.append({"source": source, "cells": [
                {"status": _text(wide.at[v, col]), "detail": details.get((v, *col), ""),
                 "change": v in boundaries} for v in versions]})
        return out

    changing, steady = glance.sections(tables)
    steady_cols = {c for r in steady for c in r.columns}
    cases = sorted(set(tables.tidy["case"]) - {"*"})
    ran = tables.ran
    span = f"{ran[0]} – {ran[-1]}" if ran else "no releases"
    n = len(an.changes)
    context = {
        "css": _CSS, "an": an, "versions": versions, "news": an.nightly,
        "opening": _opening(an.nightly),
        "summary": named(f"{n} finding{'s' if n != 1 else ''} across {len(ran)} releases with "
                         f"results ({span}), case{'s' if len(cases) != 1 else ''}: {', '.join(cases)}."),
        "sentence": lambda f: named(f.sentence(an.variants.short(f.case, f.variant))),
        "value_changes": tables.value_changes, "value_tol": f"{tables.value_tol:g}",
        "fingerprints": not tables.fingerprints.empty,
        "defaults": [(case, an.variants.default(case)) for case in an.variants
                     if an.variants.default(case) and any(f.case == case for f in an.findings)],
        "runs": fnd.release_runs(versions, list(zip(*[g.series for g in an.groups])))
        if an.groups else [],
        "describe": lambda columns: fnd.describe_columns(columns, an.variants),
        "statuses": STATUSES, "color": colors.color, "text_color": colors.text_color,
        "changing": [{"label": s.label, "columns": s.columns,
                      "rows": rows(s.columns, set(s.boundaries))} for s in changing],
        "n_changing": sum(len(s.columns) for s in changing), "n_columns": len(wide.columns),
        "steady": steady, "n_steady": len(steady_cols),
        "steady_columns": rows([c for c in wide.columns if c in steady_cols]),
        "env_header": analysis.ENV_HEADER,
        "devices": provenance.devices_line(tables.docs),
        "origin": provenance.origin_lines(tables.docs, tables.partials),
        "environments": [[f"{r[0]}, {an.nightly_names[r[0]]}" if r[0] in an.nightly_names
                          else r[0], *r[1:]] for r in an.environments],
        "shown": analysis.packages_shown,
        "harness_lines": tables.harness_lines(),
        "gaps": tables.no_results, "gap_lines": coverage.listing(tables.no_results, tables.raw_dir,
                                                        tables.tox_args),
        "blind_ends": tables.blind_ends,
        "no_result": {g.release: g.reason(300) for g in tables.no_results},
        "changes": [named(line[2:]) for line in mdreport.changes(an, md=False)],
        "reproduce": [{"case": s.case, "commands": s.commands(tables.raw_dir, tables.out_dir),
                       "source": analysis.case_source(tables.docs, s.case, root)}
                      for s in an.reproduce],
    }
    return _environment().get_template("report.html.j2").render(**context)


def _text(status) -> str:
    return status if isinstance(status, str) else ""


def _opening(news: analysis.NightlyNews | None) -> str:
    """What the newest nightly changes against the last release, in one sentence."""
    if news is None:
        return ""
    if not news.label:
        return f"The nightly build did not run: {', '.join(news.statuses) or 'no result'} (see " \
               "Environments)."
    if not news.last:
        return f"The {news.label} ({news.newest}) is the only build with results."
    head = f"Against {news.last}, the last release, the {news.label} ({news.newest})"
    if not news.changed:
        return f"{head} changes nothing: the {news.ran} columns both ran have the same status."
    k = len(news.changed)
    return f"{head} changes {k} column{'s' if k != 1 else ''}:"
