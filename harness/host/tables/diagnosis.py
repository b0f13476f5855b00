"""Diagnosis sections of report.md, computed from the tidy table (host side, Python >= 3.10).

Two views: where backprop stops for `none` pairs (the break op the worker recorded), and which single
change of a case's default configuration flips a status on a release (the minimal trigger).
"""
from __future__ import annotations

import pandas as pd

from harness.host.tables.findings import parse_variant
from harness.host.tables.matrix import version_key
from harness.schema import GRAD, NONE, NOT_OUTCOMES

PAIR = ["target", "source"]


def one_axis_changes(default: dict[str, str], other: dict[str, str]) -> list[str]:
    """The 'axis=value' changes from default to other (keys of both)."""
    axes = list(dict.fromkeys([*default, *other]))
    return [f"{a}={other.get(a, '')}" for a in axes if default.get(a) != other.get(a)]


def default_variant(labels: list[str]) -> str:
    """The label from which the most other labels are one axis away (the default run's centre)."""
    parsed = {label: parse_variant(label) for label in labels}

    def neighbours(label):
        return sum(len(one_axis_changes(parsed[label], parsed[o])) == 1 for o in labels)

    return max(labels, key=neighbours)


def _releases(versions) -> str:
    return ", ".join(sorted(set(versions), key=version_key))


def break_point_lines(tidy: pd.DataFrame) -> list[str]:
    """'## Where backprop stops': one row per case, variant, target and break op."""
    rows = tidy[(tidy["status"] == NONE) & (tidy["break_op"] != "")]
    if rows.empty:
        return []
    lines = ["## Where backprop stops", "",
             "For each `None` gradient with a forward path from the source to the target: the op "
             "whose output still receives a gradient while its input on the path does not.", "",
             "| case | variant | target | sources | break op | releases |",
             "|---|---|---|---|---|---|"]
    keys = ["case", "variant", "target", "break_op"]
    for (case, variant, target, op), grp in rows.groupby(keys, sort=False):
        sources = ", ".join(dict.fromkeys(grp["source"]))
        lines.append(f"| {case} | {variant} | {target} | {sources} | `{op}` | "
                     f"{_releases(grp['tf_version'])} |")
    return lines + [""]


def _case_findings(df: pd.DataFrame) -> list[tuple]:
    """(target, sources, status, releases, flips, keeps, other) for one case's default columns."""
    labels = list(dict.fromkeys(df["variant"]))
    default = default_variant(labels)
    centre = parse_variant(default)
    others = {}
    for label in labels:
        changes = one_axis_changes(centre, parse_variant(label))
        if len(changes) == 1:
            others[label] = changes[0]
    status = df.set_index(["tf_version", "variant", *PAIR])["status"]
    status = status[~status.index.duplicated()]
    found: dict[tuple, list] = {}
    base = df[df["variant"] == default]
    for row in base.itertuples():
        if row.status in NOT_OUTCOMES:
            continue
        flips, keeps, other = [], [], []
        for label, change in others.items():
            got = status.get((row.tf_version, label, row.target, row.source))
            if got is None or got in NOT_OUTCOMES:
                continue
            (keeps if got == row.status else flips if got == GRAD else other).append(
                change if got in (GRAD, row.status) else f"{change} ({got})")
        if flips or other:
            key = (row.target, row.status, row.tf_version, tuple(flips), tuple(keeps), tuple(other))
            found.setdefault(key, []).append(row.source)
    merged: dict[tuple, tuple] = {}
    for (target, st, version, flips, keeps, other), sources in found.items():
        key = (target, tuple(sources), st, flips, keeps, other)
        merged.setdefault(key, []).append(version)
    return [(t, s, st, v, f, k, o) for (t, s, st, f, k, o), v in merged.items()]


def trigger_lines(tidy: pd.DataFrame) -> list[str]:
    """'## What triggers it': single changes of the default configuration that flip a status."""
    lines = []
    for case, df in tidy[tidy["variant"].str.contains("=", regex=False)].groupby("case", sort=False):
        default = default_variant(list(dict.fromkeys(df["variant"])))
        for target, sources, st, versions, flips, keeps, other in _case_findings(df):
            lines.append(f"- **{case}** [{default}] d {target} / d ({', '.join(sources)}) is "
                         f"`{st}` on {_releases(versions)}.")
            if flips:
                lines.append(f"  - A single change makes it `grad`: {', '.join(flips)}.")
            if other:
                lines.append(f"  - A single change gives another status: {', '.join(other)}.")
            if keeps:
                lines.append(f"  - Not needed (changing it keeps `{st}`): {', '.join(keeps)}.")
    if not lines:
        return []
    return ["## What triggers it", "",
            "Default configuration of each case against its one-axis changes, release by release "
            "(matrix cells; skipped variants are left out).", "", *lines, ""]


def markdown_sections(tidy: pd.DataFrame) -> list[str]:
    """The Markdown lines of both sections (empty when the table shows neither)."""
    if "break_op" not in tidy.columns:
        tidy = tidy.assign(break_op="")
    return [*break_point_lines(tidy), *trigger_lines(tidy)]
