"""What changed, said once: findings, groups of columns with one history, short variant labels."""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field

import pandas as pd

from harness.host.tables import matrix
from harness.host.tables.nightly import build_date, is_nightly
from harness.host.tables.variants import Variants
from harness.schema import AVAILABILITY, GRAD, NONE, NOT_OUTCOMES, UNAVAILABLE


@dataclass
class Finding:
    """One transition shared by several sources of one case, variant and target."""

    case: str
    variant: str
    target: str
    sources: list[str]
    old: str
    new: str
    last_old: str
    first_new: str
    detail: str = ""
    missing: str = ""  # for an API that appears or goes: the unavailable side's detail
    # releases between last_old and first_new with no result for these pairs, each with why
    # ('1.9 has no result: install_failed: ...'): the change is somewhere in that window
    gap: list[str] = field(default_factory=list)

    def _window(self, md: bool) -> str:
        """'; the change is between A and B, where 1.9 has no result: why' ('' without a gap)."""
        if not self.gap:
            return ""
        span = f"between {self.last_old} and {self.first_new}"
        return (f"; it changed {'**' + span + '**' if md else span}, not known where: "
                f"{'; '.join(self.gap)}")

    @property
    def availability(self) -> bool:
        """An API that appears (or goes), not a change of how gradients behave."""
        return self.old in AVAILABILITY or self.new in AVAILABILITY

    def sentence(self, short_variant: str, md: bool = False) -> str:
        """One sentence; with md, names in code spans and the release of the change in bold."""
        code = (lambda t: f"`{t}`") if md else (lambda t: t)
        first = f"**{self.first_new}**" if md and not self.gap else self.first_new
        where = f" [{short_variant}]" if short_variant else ""
        pair = (f"{code(self.case)}{where}: d {code(self.target)} / d "
                f"({', '.join(code(s) for s in self.sources)})")
        missing = f" — {code(self.missing)}" if self.missing else ""
        window = self._window(md)
        if self.old == UNAVAILABLE:
            return (f"{pair} is not available before {first} (up to {self.last_old}){missing}; "
                    f"from {self.first_new} on it is {code(self.new)}{window}")
        if self.new == UNAVAILABLE:
            return (f"{pair} is {code(self.old)} up to {self.last_old} and not available from "
                    f"{first}{missing}{window}")
        detail = f" — {code(self.detail)}" if self.detail else ""
        return (f"{pair} is {code(self.old)} up to {self.last_old} and {code(self.new)} from "
                f"{first}{window}{detail}")

    def line(self) -> str:
        """The terminal's line: the full variant label, 'old -> new at first_new (last old: ...)',
        or 'old -> new between A and B (1.9 has no result: why)' where releases between have none."""
        pair = f"{self.case} [{self.variant}] d {self.target} / d ({', '.join(self.sources)})"
        if self.gap:
            return (f"{pair}: {self.old} -> {self.new} between {self.last_old} and {self.first_new} "
                    f"({'; '.join(self.gap)})")
        return f"{pair}: {self.old} -> {self.new} at {self.first_new} (last {self.old}: {self.last_old})"


def _pair_rows(tidy: pd.DataFrame, row, version: str) -> pd.DataFrame:
    """The tidy rows of the transition's pair in one release."""
    return tidy[(tidy["tf_version"] == version) & (tidy["case"] == row.case)
                & (tidy["variant"] == row.variant) & (tidy["target"] == row.target)
                & (tidy["source"] == row.source)]


def _detail(tidy: pd.DataFrame, row, version: str) -> str:
    """The detail of the transition's pair in one release (the exception, the signal, what is
    missing), cut to 300 characters."""
    hit = _pair_rows(tidy, row, version)
    return str(hit["detail"].iloc[0])[:300] if len(hit) else ""


def _missing(tidy: pd.DataFrame, row) -> str:
    """For a transition from or to `unavailable`: the TensorFlow name the release lacks."""
    if row.old_status == UNAVAILABLE:
        return _detail(tidy, row, row.last_old).split(" not in this release", 1)[0]
    if row.new_status == UNAVAILABLE:
        return _detail(tidy, row, row.first_new).split(" not in this release", 1)[0]
    return ""


def _gap(tidy: pd.DataFrame, row, why: dict[str, str]) -> list[str]:
    """'1.9 has no result: <why>' for the releases of the transition's window with none, one entry
    per reason ('1.10, 1.11 have no result: not run'): the environment's reason (`why`, by
    release), else the pair's own status and detail there."""
    by_reason: dict[str, list[str]] = {}
    for version in filter(None, str(row.no_result_between or "").split("; ")):
        reason = why.get(version)
        if reason is None:
            hit = _pair_rows(tidy, row, version)
            if len(hit):
                status, detail = str(hit["status"].iloc[0]), str(hit["detail"].iloc[0])[:160]
                reason = f"{status}: {detail}" if detail else status
            elif ((tidy["tf_version"] == version) & (tidy["case"] == row.case)).any():
                reason = "no row for this pair"
            else:  # that build ran other cases only (a bisection's probe of another case)
                reason = "this case was not run there (other cases were)"
        by_reason.setdefault(reason, []).append(version)
    return [f"{', '.join(versions)} {'has' if len(versions) == 1 else 'have'} no result: {reason}"
            for reason, versions in by_reason.items()]


def findings(tidy: pd.DataFrame, trans: pd.DataFrame, why: dict[str, str] | None = None) -> list[Finding]:
    """Transitions grouped so that sources changing together read as one finding, biggest first.
    `why`: release -> why it has no result at all (coverage.NoResult.reason)."""
    if trans.empty:
        return []
    keys = ["case", "variant", "target", "old_status", "new_status", "last_old", "first_new",
            "no_result_between"]
    out = []
    for k, grp in trans.fillna({"no_result_between": ""}).groupby(keys, sort=False):
        first = next(grp.itertuples())
        explains = first.new_status not in (GRAD, NONE, UNAVAILABLE)
        out.append(Finding(k[0], k[1], k[2], list(grp["source"]), k[3], k[4], k[5], k[6],
                           _detail(tidy, first, first.first_new) if explains else "",
                           _missing(tidy, first), _gap(tidy, first, why or {})))
    size = {}
    for f in out:
        size[f.case] = size.get(f.case, 0) + len(f.sources)
    return sorted(out, key=lambda f: (matrix.version_key(f.first_new), -size[f.case], f.case))


def across_variants(found: list[Finding]) -> list[tuple[Finding, list[str]]]:
    """Findings that differ only in their variant, as one: (the first of them, all their variants),
    in the order of the first of each."""
    groups: dict[tuple, tuple[Finding, list[str]]] = {}
    for f in found:
        key = (f.case, f.target, tuple(f.sources), f.old, f.new, f.last_old, f.first_new,
               f.detail, f.missing, tuple(f.gap))
        groups.setdefault(key, (f, []))[1].append(f.variant)
    return list(groups.values())


def bisect_args(f: Finding, overrides: list[str], place: list[str] = (),
                out: list[str] = ()) -> list[str]:
    """The `bisect` command that narrows a finding down to two adjacent builds (release candidates
    too, and the nightly builds where an end is one), as it runs from the checkout: cases and out
    are its --cases/--case (or --script) and --out arguments (commands.place_args: the case's
    folder, the report's raw files, where its ends are earlier results), one of the finding's
    sources (the others share its change). --good is the end reading `grad`."""
    # a nightly build by its date, which bisect takes and the reports never rename
    good, bad = [build_date(v) if is_nightly(v) else v for v in (
        (f.first_new, f.last_old) if f.new == GRAD else (f.last_old, f.first_new))]
    parts = list(place or ["--case", f.case])
    parts += [a for o in overrides for a in ("--variant", o)]
    parts += ["--target", f.target, "--source", f.sources[0], "--good", good, "--bad", bad]
    parts += list(out)
    nightly_end = any(is_nightly(v) for v in (f.last_old, f.first_new))
    return parts + ([] if nightly_end else ["--pre"])


def bisect_command(args: list[str]) -> str:
    """bisect_args as the command line a user pastes."""
    return " ".join(["python -m harness bisect", *(shlex.quote(a) for a in args)])


@dataclass
class ColumnGroup:
    """Columns of the matrix that share one history of statuses across releases."""

    label: str
    columns: list[tuple] = field(default_factory=list)  # (case, variant, target, source)
    series: list[str] = field(default_factory=list)


def changing_groups(wide: pd.DataFrame) -> tuple[list[ColumnGroup], int]:
    """Groups of the columns whose outcome changes (in column order) and the count of the others.

    A column that is only skipped on some releases (an eager case on 1.x) does not change.
    """
    groups: dict[tuple, ColumnGroup] = {}
    unchanged = 0
    for col in wide.columns:
        series = wide[col].fillna("").tolist()
        if len({s for s in series if s and s not in NOT_OUTCOMES}) <= 1:
            unchanged += 1
            continue
        key = tuple(series)
        if key not in groups:
            groups[key] = ColumnGroup(f"C{len(groups) + 1}", [], list(series))
        groups[key].columns.append(col)
    return list(groups.values()), unchanged


def release_runs(versions: list[str], rows: list[tuple]) -> list[tuple[str, int, tuple]]:
    """Consecutive releases with identical rows folded: (label 'A – B', count, row)."""
    out: list[tuple[str, int, tuple]] = []
    start = 0
    for i in range(1, len(versions) + 1):
        if i == len(versions) or rows[i] != rows[start]:
            label = versions[start] if i - start == 1 else f"{versions[start]} – {versions[i - 1]}"
            out.append((label, i - start, rows[start]))
            start = i
    return out


def describe_columns(columns: list[tuple[str, str, str, str]], variants: Variants) -> list[str]:
    """Columns (case, variant, target, source) as lines 'case [variants]: target ← sources', one
    per case and target."""
    parts: dict[tuple[str, str], dict[str, list[str]]] = {}
    for case, variant, target, source in columns:
        parts.setdefault((case, target), {}).setdefault(source, []).append(
            variants.short(case, variant) or "-")
    out = []
    for (case, target), by_source in parts.items():
        by_variants: dict[tuple[str, ...], list[str]] = {}
        for source, variants in by_source.items():
            by_variants.setdefault(tuple(variants), []).append(source)
        for variants, sources in by_variants.items():
            where = f" [{'; '.join(variants)}]" if variants != ("-",) else ""
            out.append(f"{case}{where}: {target} ← {', '.join(sources)}")
    return out
