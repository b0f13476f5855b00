"""Each case's variants as structured (axis, value) pairs and its default configuration (host side).

The runner records every cell's variant as ordered [axis, value] pairs and every case's axes and
default (harness.inside.sources.cases.describe); tables.load builds one `Variants` from the raw files. A
variant's label ('batch=None,cell=gru') is the key of the tidy table and of the matrix's columns, for
display and for the CSV files only: nothing here parses it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Pairs = tuple[tuple[str, str], ...]


def text(value: object) -> str:
    """An axis value as the runner's label writes it ('None', '34', 'gru')."""
    return str(value)


def pairs_of(items) -> Pairs:
    """[(axis, value), ...] or [[axis, value], ...] (JSON values) -> ((axis, text), ...)."""
    return tuple((str(axis), text(value)) for axis, value in items)


@dataclass
class CaseVariants:
    """One case: its default configuration, its declared axes and the pairs of every label seen."""

    default: Pairs | None = None
    axes: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, Pairs] = field(default_factory=dict)  # label -> pairs, in run order
    declared: bool = False  # default and axes come from the runner (not from an old raw file)

    def default_label(self) -> str | None:
        """The label of the default configuration among the labels seen (None: not run)."""
        return next((label for label, pairs in self.labels.items() if pairs == self.default), None)


class Variants(dict):
    """case -> CaseVariants, in the order the cases first appear in the results."""

    def pairs(self, case: str, label: str) -> Pairs:
        """The (axis, value) pairs of a case's variant label; () for an unknown one."""
        return self[case].labels.get(label, ()) if case in self else ()

    def default(self, case: str) -> dict[str, str]:
        """The case's default configuration as {axis: value}."""
        return dict(self[case].default or ()) if case in self else {}

    def short(self, case: str, label: str) -> str:
        """A variant named by what differs from its case's default ('default' for the default;
        '' for a case without variants)."""
        pairs = self.pairs(case, label)
        if not pairs:
            return ""
        base = self.default(case)
        diff = [f"{axis}={value}" for axis, value in pairs if base.get(axis) != value]
        return ",".join(diff) if diff else "default"


def one_axis_changes(default: dict[str, str], other: dict[str, str]) -> list[str]:
    """The 'axis=value' changes from default to other (axes of both)."""
    axes = list(dict.fromkeys([*default, *other]))
    return [f"{a}={other.get(a, '')}" for a in axes if default.get(a) != other.get(a)]
