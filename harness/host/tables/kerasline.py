"""Keras 3 against tf-keras on the same TensorFlow (host side, Python >= 3.10).

From TF 2.16 the runner runs every case that uses Keras twice: with the environment's Keras (tf-keras,
TF_USE_LEGACY_KERAS=1) and, in a worker of its own, with Keras 3; the second line's cells carry the
variant pair keras=3 (harness.inside.sources.cases.KERAS3). Each is its own column of the matrix, so each has
its own history across releases; this module compares the two lines release by release, one
sentence per case: the same everywhere, Keras 2 only (`unavailable` with Keras 3), or which pairs
differ and where.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from harness.host.tables.matrix import version_key
from harness.host.tables.variants import Variants
from harness.inside.sources.cases import KERAS3
from harness.schema import NOT_OUTCOMES, UNAVAILABLE

AXIS, LINE = KERAS3  # the pair the runner gives the Keras 3 line's cells
ANY = "*"  # the target and source of a cell that produced no pairs


@dataclass
class Difference:
    """Pairs of one variant and target whose status differs between the lines on some releases."""

    variant: str  # the tf-keras line's variant, as the report shows it
    target: str
    sources: list[str]
    legacy: str  # status with tf-keras
    keras3: str  # status with Keras 3
    releases: list[str]


@dataclass
class KerasLine:
    """One case on the Keras 3 line against the tf-keras line."""

    case: str
    releases: list[str]  # with a Keras 3 result
    pairs: int  # pairs compared on those releases
    unavailable: str = ""  # why, when the case cannot run with Keras 3 at all
    differences: list[Difference] = field(default_factory=list)

    def sentences(self, md: bool = False) -> list[str]:
        code = (lambda t: f"`{t}`") if md else (lambda t: t)
        span = _span(self.releases)
        if self.unavailable:
            return [f"{code(self.case)} needs Keras 2: {code(UNAVAILABLE)} with Keras 3 on {span} "
                    f"({self.unavailable}); with tf-keras it runs"]
        if not self.differences:
            return [f"{code(self.case)}: the same status with Keras 3 as with tf-keras in every "
                    f"pair ({self.pairs}) on {span}"]
        return [f"{code(self.case)}{f' [{d.variant}]' if d.variant else ''} "
                + ("every pair" if d.target == ANY else f"d {d.target} / d ({', '.join(d.sources)})")
                + f": {code(d.legacy)} with tf-keras, {code(d.keras3)} with Keras 3 on "
                f"{_span(d.releases)}" for d in self.differences]


def _span(releases: list[str]) -> str:
    return releases[0] if len(releases) == 1 else f"{releases[0]} – {releases[-1]}"


def on_line(pairs) -> bool:
    """Whether a variant's (axis, value) pairs are the Keras 3 line's."""
    return (AXIS, LINE) in tuple(pairs)


def compare(tidy: pd.DataFrame, variants: Variants) -> list[KerasLine]:
    """Per case with Keras 3 cells: the comparison with its tf-keras cells, release by release."""
    out = []
    for case in dict.fromkeys(tidy["case"]):
        if case not in variants:
            continue
        rows = tidy[tidy["case"] == case]
        labels = {label: variants.pairs(case, label) for label in dict.fromkeys(rows["variant"])}
        k3 = {label for label, pairs in labels.items() if on_line(pairs)}
        if not k3:
            continue
        base_of = {label: _base(labels, labels[label]) for label in k3}
        mine = rows[rows["variant"].isin(k3)]
        releases = sorted(set(mine["tf_version"]), key=version_key)
        outcomes = mine[~mine["status"].isin(NOT_OUTCOMES)]
        if not outcomes.empty and (outcomes["status"] == UNAVAILABLE).all():
            why = outcomes["detail"].iloc[0].split(" not in this release", 1)[0]
            out.append(KerasLine(case, releases, 0, unavailable=why[:200]))
            continue
        line = KerasLine(case, releases, len(mine[["variant", "target", "source"]]
                                             .drop_duplicates()))
        line.differences = _differences(rows, mine, base_of, variants, case)
        out.append(line)
    return out


def _base(labels: dict, pairs) -> str | None:
    """The tf-keras label whose pairs are these without keras=3."""
    want = tuple(p for p in pairs if p != (AXIS, LINE))
    return next((label for label, p in labels.items() if tuple(p) == want), None)


def _differences(rows, mine, base_of, variants: Variants, case: str) -> list[Difference]:
    status = rows.set_index(["tf_version", "variant", "target", "source"])["status"]
    status = status[~status.index.duplicated()]
    found: dict[tuple, list[str]] = {}
    whole = rows.groupby(["tf_version", "variant"])["status"].agg(
        lambda s: ", ".join(sorted(set(s))))  # a cell without pairs: against all of the base's
    for row in mine.itertuples():
        base = base_of.get(row.variant)
        key = (row.tf_version, base) if row.target == ANY else (row.tf_version, base, row.target,
                                                                 row.source)
        legacy = (whole if row.target == ANY else status).get(key) if base is not None else None
        if legacy is None or legacy in NOT_OUTCOMES or row.status in NOT_OUTCOMES \
                or legacy == row.status:
            continue
        key = (variants.short(case, base), row.target, row.source, legacy, row.status)
        found.setdefault(key, []).append(row.tf_version)
    merged: dict[tuple, list[str]] = {}
    for (variant, target, source, legacy, k3), versions in found.items():
        key = (variant, target, legacy, k3, tuple(sorted(versions, key=version_key)))
        merged.setdefault(key, []).append(source)
    return [Difference(v, t, s, a, b, list(r)) for (v, t, a, b, r), s in merged.items()]
