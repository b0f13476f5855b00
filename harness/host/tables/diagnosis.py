"""Diagnosis from the tidy table (host side, Python >= 3.10): data, rendered by the reports.

Two views: where backprop stops for `none` pairs (the break op the worker recorded), and which single
change of a case's default configuration flips a status on a release (the minimal trigger).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from harness.host.tables.matrix import version_key
from harness.host.tables.variants import Variants, one_axis_changes
from harness.schema import GRAD, NONE, NOT_OUTCOMES

PAIR = ["target", "source"]


@dataclass
class BreakPoint:
    """`None` gradients of one case, variant and target that stop at one op."""

    case: str
    variant: str
    target: str
    sources: list[str]
    op: str
    releases: list[str]  # in release order


@dataclass
class Trigger:
    """A status of a case's default configuration and the one-axis changes that keep or flip it."""

    case: str
    default: str  # the default's variant label
    target: str
    sources: list[str]
    status: str
    releases: list[str]  # in release order
    flips: list[str]  # 'axis=value' changes that make it grad
    keeps: list[str]  # changes that keep the status
    other: list[str]  # changes that give another status: 'axis=value (status)'


def _releases(versions) -> list[str]:
    return sorted(set(versions), key=version_key)


def break_points(tidy: pd.DataFrame) -> list[BreakPoint]:
    """One entry per case, variant, target and break op of the `none` pairs that record one."""
    if "break_op" not in tidy.columns:
        return []
    rows = tidy[(tidy["status"] == NONE) & (tidy["break_op"] != "")]
    keys = ["case", "variant", "target", "break_op"]
    return [BreakPoint(case, variant, target, list(dict.fromkeys(grp["source"])), op,
                       _releases(grp["tf_version"]))
            for (case, variant, target, op), grp in rows.groupby(keys, sort=False)]


def _case_triggers(case: str, df: pd.DataFrame, variants: Variants) -> list[Trigger]:
    """The triggers of one case's default columns (empty when its default did not run)."""
    default = variants[case].default_label()
    if default is None:
        return []
    centre = variants.default(case)
    others = {}
    for label in dict.fromkeys(df["variant"]):
        changes = one_axis_changes(centre, dict(variants.pairs(case, label)))
        if len(changes) == 1:
            others[label] = changes[0]
    status = df.set_index(["tf_version", "variant", *PAIR])["status"]
    status = status[~status.index.duplicated()]
    found: dict[tuple, list] = {}
    for row in df[df["variant"] == default].itertuples():
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
    merged: dict[tuple, list] = {}
    for (target, st, version, flips, keeps, other), sources in found.items():
        merged.setdefault((target, tuple(sources), st, flips, keeps, other), []).append(version)
    return [Trigger(case, default, t, list(s), st, _releases(v), list(f), list(k), list(o))
            for (t, s, st, f, k, o), v in merged.items()]


def triggers(tidy: pd.DataFrame, variants: Variants) -> list[Trigger]:
    """Single changes of each case's default configuration that flip a status, case by case."""
    with_axes = [c for c in dict.fromkeys(tidy["case"]) if c in variants and variants[c].default]
    return [t for case in with_axes
            for t in _case_triggers(case, tidy[tidy["case"] == case], variants)]
