"""Everything a report says, computed once from the tables: data that report.md and report.html
render (host side, Python >= 3.10).

Findings, the groups of changing columns, break points, minimal triggers, the newest nightly's
changes, the environments, value changes and the steps to reproduce, each once per report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from harness.host.tables import diagnosis, kerasline, load, matrix, nightly
from harness.host.tables.commands import Repro, reproduce
from harness.host.tables.findings import ColumnGroup, Finding, changing_groups, findings
from harness.host.tables.variants import Variants
from harness.inside.judging.numeric import FORWARD_FAILS, NONE_SIZE
from harness.schema import GRAD, NOT_OUTCOMES

ENV_HEADER = ["TF", "git version", "Python", "numpy", "protobuf", "OS", "CPU", "tf.keras"]
PACKAGES_SHOWN = ("tensorflow", "tensorflow-cpu", "tf-keras", "keras", "numpy", "protobuf")


def packages_shown(pkgs: dict[str, str]) -> str:
    """The packages a reader looks for first, of one release's package list: 'tensorflow 1.9.0, ...'."""
    return ", ".join(f"{p} {pkgs[p]}" for p in PACKAGES_SHOWN if p in pkgs)


ENV_KEYS = ("tf_version", "tf_git_version", "python_version", "numpy_version", "protobuf_version",
            "os", "cpu")


@dataclass
class NightlyNews:
    """What the newest nightly build changes against the last release."""

    newest: str
    label: str  # 'nightly of 2026-10-26 (commit ...)'; '' when it has no outcome (did not run)
    statuses: list[str]  # when it did not run: the statuses it has
    last: str = ""  # the last release; '' when the nightly is the only build with results
    ran: int = 0  # columns with an outcome on the nightly
    changed: list[tuple[tuple, str, str]] = field(default_factory=list)  # (column, old, new)


@dataclass
class Unchecked:
    """A case none of whose present gradients could be evaluated on some releases: its forward pass
    fails at the inputs the harness made, so `grad` there says nothing of their values."""

    case: str
    releases: list[str]
    why: str  # the first release's exception
    none_dim: int  # the size the run gave None dimensions
    script: bool = False  # the cells came from a user's script (run --script)

    def sentence(self, md: bool = False) -> str:
        code = (lambda t: f"`{t}`") if md else (lambda t: t)
        feeds = (f"Feed its placeholders in the script's first {code('Session.run')} (its "
                 f"{code('feed_dict')} is used)" if self.script else
                 f"Give the case {code('feeds')} (values for its placeholders)")
        return (f"{code(self.case)}: none of its gradients was checked on {_where(self.releases)}: "
                f"the forward pass fails at the generated inputs ({self.why}). {feeds}, or "
                f"another size for None dimensions: {code('--none-dim N')} (this run: "
                f"{self.none_dim})")


def _where(releases: list[str]) -> str:
    n = len(releases)
    return ", ".join(releases) if n <= 4 else f"{releases[0]} – {releases[-1]} ({n} releases)"


@dataclass
class Unrecorded:
    """A case (or script) that gave no gradient at all on any release with results: every cell
    failed before one was taken (the script raised, called no gradient, ran past the timeout)."""

    case: str
    releases: list[str]
    why: str  # the newest release's status and detail

    def sentence(self, md: bool = False) -> str:
        code = (lambda t: f"`{t}`") if md else (lambda t: t)
        return (f"{code(self.case)}: no gradient to judge on {_where(self.releases)}: "
                f"{self.why}")


def unrecorded(tidy: pd.DataFrame) -> list[Unrecorded]:
    """Cases none of whose cells has a pair on any release."""
    out = []
    for case, rows in tidy[tidy["case"] != load.ANY].groupby("case", sort=False):
        if (rows["target"] == load.ANY).all():
            releases = sorted(set(rows["tf_version"]), key=matrix.version_key)
            newest = rows[rows["tf_version"] == releases[-1]].iloc[0]
            out.append(Unrecorded(case, releases, f"{newest['status']}: {newest['detail'][:300]}"))
    return out


def unchecked(tidy: pd.DataFrame, docs: list[dict]) -> list[Unchecked]:
    """Cases whose every `grad` pair of a release was not evaluated because the forward pass failed."""
    marker = "no numeric verdict: " + FORWARD_FAILS
    grads = tidy[tidy["status"] == GRAD]
    dims = {d["env"].get("tf_version"): (d.get("run") or {}).get("options", {}).get(
        "none_dim", NONE_SIZE) for d in docs}
    scripts = load.script_cases(docs)
    out = []
    for case, rows in grads.groupby("case", sort=False):
        failed = rows["detail"].str.contains(marker, regex=False)
        per_release = failed.groupby(rows["tf_version"]).all()
        releases = sorted(per_release[per_release].index, key=matrix.version_key)
        if releases:
            first = rows[(rows["tf_version"] == releases[0]) & failed]["detail"].iloc[0]
            out.append(Unchecked(case, releases, first.split(marker, 1)[1][:200],
                                 dims.get(releases[0], NONE_SIZE), case in scripts))
    return out


@dataclass
class Seeded:
    """A case some of whose variables the harness loaded with seeded values: their initial values
    are random (drawn by a random op, or different when build() runs under another seed), so the
    case's own values differ between runs and releases and cannot be the point evaluated."""

    case: str
    names: list[str]  # the variables, as the case names them
    drawn_by: list[str]  # what made them random
    script: bool = False  # the cells came from a user's script (run --script)

    def sentence(self, md: bool = False) -> str:
        code = (lambda t: f"`{t}`") if md else (lambda t: t)
        n = len(self.names)
        shown = ", ".join(code(v) for v in self.names[:6]) + (f" and {n - 6} more" if n > 6 else "")
        values = code('"values": {source: array}')
        them = "them" if n != 1 else "it"
        own = (f"initialise {them} with constants in the script" if self.script else
               f"initialise {them} with constants or return {values} from build()")
        return (f"{code(self.case)}: {shown} {'have' if n != 1 else 'has'} a random initial value "
                f"({', '.join(self.drawn_by)}): every release evaluates {them} at values seeded by "
                f"name and shape, not at the {'script' if self.script else 'case'}'s. To evaluate "
                f"at values of your own, {own}.")


def seeded(docs: list[dict]) -> list[Seeded]:
    """The cases whose variables got seeded values on some release (the cells' `values.seeded`)."""
    found: dict[str, dict[str, set[str]]] = {}
    for doc in docs:
        for cell in doc["cells"]:
            for name, why in ((cell.get("values") or {}).get("seeded") or {}).items():
                found.setdefault(cell["case"], {}).setdefault(name, set()).add(why)
    scripts = load.script_cases(docs)
    return [Seeded(case, sorted(names), sorted(set().union(*names.values())), case in scripts)
            for case, names in sorted(found.items())]


@dataclass
class Analysis:
    """One report's findings and diagnosis, for every view."""

    variants: Variants
    findings: list[Finding]
    groups: list[ColumnGroup]  # the changing columns with one history each (C1, C2, ...)
    unchanged: int  # columns that do not change
    break_points: list[diagnosis.BreakPoint]
    triggers: list[diagnosis.Trigger]
    nightly_names: dict[str, str]  # nightly version -> its name
    nightly: NightlyNews | None
    environments: list[list[str]]  # ENV_HEADER columns, per release
    packages: list[tuple[str, dict[str, str]]]  # (release, packages) at each finding
    value_changes: pd.DataFrame
    reproduce: list[Repro]
    unchecked: list[Unchecked] = field(default_factory=list)
    unrecorded: list[Unrecorded] = field(default_factory=list)
    seeded: list[Seeded] = field(default_factory=list)
    keras: list[kerasline.KerasLine] = field(default_factory=list)  # Keras 3 against tf-keras

    @property
    def changes(self) -> list[Finding]:
        """Findings about how gradients behave."""
        return [f for f in self.findings if not f.availability]

    @property
    def appear(self) -> list[Finding]:
        """Findings about an API that appears (or goes)."""
        return [f for f in self.findings if f.availability]


def analyse(tables, variants: Variants) -> Analysis:
    """The analysis of report.Tables (tidy, matrix, transitions, docs, problems, value changes)."""
    found = findings(tables.tidy, tables.transitions,
                     {n.release: n.brief() for n in tables.no_results})
    groups, unchanged = changing_groups(tables.matrix)
    names = nightly_names(tables.docs)
    at = {v for f in found for v in (f.last_old, f.first_new)}
    packages = [(d["env"]["tf_version"], d["env"].get("packages", {})) for d in tables.docs
                if d["env"].get("tf_version") in at]
    return Analysis(variants, found, groups, unchanged, diagnosis.break_points(tables.tidy),
                    diagnosis.triggers(tables.tidy, variants), names,
                    nightly_news(tables.matrix, names), environment_rows(tables.docs, tables.problems),
                    packages, tables.value_changes, reproduce(found, tables.tidy, tables.docs),
                    unchecked=unchecked(tables.tidy, tables.docs), seeded=seeded(tables.docs),
                    keras=kerasline.compare(tables.tidy, variants),
                    unrecorded=unrecorded(tables.tidy))


def nightly_names(docs: list[dict]) -> dict[str, str]:
    """tf-nightly version -> 'nightly of 2026-10-26 (commit ef696751006)', for the builds with
    results."""
    return {d["env"]["tf_version"]: nightly.name(d["env"]["tf_version"],
                                                 d["env"].get("tf_git_version", ""))
            for d in docs if nightly.is_nightly(d["env"].get("tf_version", ""))}


def nightly_news(wide: pd.DataFrame, names: dict[str, str]) -> NightlyNews | None:
    """The newest nightly's columns that differ from the last release (None: no nightly)."""
    rows = [v for v in wide.index if nightly.is_nightly(v) or v == "nightly"]
    if not rows:
        return None
    newest = rows[-1]
    ran = (wide.notna() & ~wide.isin(NOT_OUTCOMES)).any(axis=1)
    released = [v for v in wide.index if v not in rows and not nightly.is_nightly(v) and ran[v]
                and matrix.version_key(v)[0] == 0 and not matrix.version_key(v)[1].is_prerelease]
    outcomes = wide.loc[newest].dropna()
    outcomes = outcomes[~outcomes.isin(NOT_OUTCOMES)]
    label = names.get(newest)
    if outcomes.empty or not label:
        return NightlyNews(newest, "", sorted(set(wide.loc[newest].dropna())))
    if not released:
        return NightlyNews(newest, label, [])
    before = wide.loc[released[-1]]
    changed = [(c, before[c], outcomes[c]) for c in outcomes.index
               if isinstance(before.get(c), str) and before[c] not in NOT_OUTCOMES
               and before[c] != outcomes[c]]
    return NightlyNews(newest, label, [], released[-1], len(outcomes), changed)


def keras_shown(env: dict) -> str:
    """What tf.keras was in a run: 'tf_keras 2.21.0 (TF_USE_LEGACY_KERAS=1); keras=3 cells: keras
    3.15.1 (TF_USE_LEGACY_KERAS=0)', or '' where no case used Keras (or the raw file predates the
    record)."""
    parts = []
    for key, label in (("keras", ""), ("keras3", "keras=3 cells: ")):
        keras = env.get(key) or {}
        legacy = keras.get("TF_USE_LEGACY_KERAS")
        if keras.get("tf.keras"):
            parts.append(label + keras["tf.keras"] + (f" (TF_USE_LEGACY_KERAS={legacy})"
                                                       if legacy else ""))
    return "; ".join(parts)


def environment_rows(docs: list[dict], problems: list[load.EnvProblem]) -> list[list[str]]:
    """Per release: TF, git version, Python, numpy, protobuf, OS, CPU, the Keras of tf.keras; or its
    status and why."""
    rows = [[*[str(doc["env"].get(k, "")) for k in ENV_KEYS], keras_shown(doc["env"])]
            for doc in docs]
    rows += [[prob.tf_version, prob.status, "", "", "", prob.detail, "", ""] for prob in problems]
    return sorted(rows, key=lambda r: matrix.version_key(r[0]))


def case_source(docs: list[dict], case: str, root: Path) -> tuple[str, str] | None:
    """(path as recorded, text) of a case's file, when it is still there."""
    for doc in docs:
        for cell in doc["cells"]:
            if cell["case"] == case and cell.get("case_file"):
                for path in (Path(cell["case_file"]), root / cell["case_file"]):
                    if path.is_file():
                        return cell["case_file"], path.read_text(encoding="utf-8")
    return None
