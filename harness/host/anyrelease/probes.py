"""The predicate of `bisect`: one release's status for the pair being bisected, from earlier raw
results when there are some (the latest run wins, as in the report), else from one run of the case in
the release's cached environment (the run-releases machinery).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness.host.anyrelease import index, installs
from harness.host.errors import UserError
from harness.host.tables import load, nightly, values
from harness.inside.running import cache
from harness.schema import GRAD, NONE, NOT_OUTCOMES, OK, SCHEMA_VERSION, VOCABULARY

# What an end of the search may be: a status that says something about TensorFlow.
OUTCOMES = tuple(s for s in VOCABULARY if s not in NOT_OUTCOMES)

MISSING = "missing"  # not a status: the cell ran without the pair (a probe's answer only)


def clock(seconds: float) -> str:
    """'83.2' -> '1:23' (minutes:seconds)."""
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


@dataclass
class Probe:
    """One release's status for the pair being bisected, and where it came from."""

    version: str
    status: str
    detail: str = ""
    seconds: float = 0.0
    source: str = ""  # the raw file that holds it
    git_version: str = ""  # tf.version.GIT_VERSION of the build that gave it
    value: dict | None = None  # the pair's value fingerprint, where the cell evaluated it
    third_value: str = ""  # bisect --value: a value that is neither end's (shown), else ''


@dataclass
class Query:
    """What is bisected: one (case, variant, target, source)."""

    case: str
    variant: str
    target: str
    source: str
    all_variants: bool = False  # the variant is not among the default run's one-axis changes
    path: str = ""  # the case file: an earlier result stands for it only where its key matches
    mode: str = "graph"
    kind: str = "case"  # or 'script': a user's script (run --script PATH), path its file


def holds(cell: dict, doc: dict, query: Query) -> bool:
    """Whether an earlier cell stands for a run of the query's case now, as the result cache decides
    (harness.inside.running.cache): its key is the key of the current case file (and helpers) and inside
    code under that run's environment and options. A cell without a key (a file older than the
    cache) or of another file of the same name does not; a query without a path trusts the name."""
    if not query.path:
        return True
    inputs = (doc.get("run") or {}).get("cache") or {}
    if not cell.get("cache_key") or not inputs.get("inside"):
        return False
    run_inputs = {"schema": SCHEMA_VERSION, "inside": cache.inside_hash(),
                  "env": inputs.get("env"), "options": inputs.get("options")}
    plan = {"case": cell["case"], "mode": query.mode, "kind": query.kind,
            "variant": cell.get("variant", [])}
    return cache.cell_key(plan, cache.case_hash(query.path), run_inputs) == cell["cache_key"]


def pair_status(cell: dict, query: Query) -> tuple[str, str]:
    """(status, detail) of the query's pair in its cell."""
    for pair in cell.get("pairs") or []:
        if pair["target"] == query.target and pair["source"] == query.source:
            return pair["status"], pair.get("detail", "")
    if cell.get("status") == OK:
        known = sorted({f"{p['target']} / {p['source']}" for p in cell.get("pairs") or []})
        return MISSING, f"no pair {query.target} / {query.source} (it has: {'; '.join(known)})"
    return cell["status"], cell.get("detail", "")


def earlier(raw_dir: Path, version: str, query: Query) -> Probe | None:
    """The latest earlier result of this release for the query, from any raw file of raw_dir, among
    the cells that still hold for its case file (holds)."""
    paths: dict[int, Path] = {}
    runs = []
    for path in load.raw_files(raw_dir):
        try:
            doc = load.load_raw(path)
        except load.RawFileError:
            continue
        if doc["env"].get("tf_version") == version and not doc.get("env_status"):
            # install failures are tried again: the cause may have been transient
            runs.append(dict(doc, cells=[c for c in doc["cells"] if holds(c, doc, query)]))
            paths[id(runs[-1])] = path
    hit = load.latest_cells(runs).get((query.case, query.variant))
    if hit is None:
        return None
    cell, doc = hit
    status, detail = pair_status(cell, query)
    value = next((p.get("value") for p in cell.get("pairs") or []
                  if (p["target"], p["source"]) == (query.target, query.source)), None)
    return Probe(version, status, detail, source=str(paths[id(doc)]),
                 git_version=doc["env"].get("tf_git_version", ""), value=value)


class Prober:
    """The command's predicate: earlier results first, else one run of the case in the release."""

    def __init__(self, query, plans, index_url, cases_dir, raw_dir, say, also=(), drop=False):
        """also: more cases of cases_dir to run at each build probed (bisect --also); drop: the
        environments it makes are installed without uv's cache and deleted (drop_made)."""
        self.drop = drop
        self.query, self.plans, self.index_url = query, plans, index_url
        self.also = [c for c in also if c != query.case]
        self.cases_dir, self.raw_dir = cases_dir, raw_dir
        lock = threading.Lock()  # two probes at once: one whole line each

        def said(text: str) -> None:
            with lock:
                say(text)
        self.say = said
        self.seen: dict[str, Probe] = {}
        self.made: list[str] = []  # versions whose environment this search created
        self.started = time.monotonic()

    def drop_made(self) -> None:
        """--drop-envs: the environments this search made, deleted once their probes ran."""
        while self.made:
            installs.drop_env(self.plans[self.made.pop()])

    def status(self, version: str, label: str = "") -> Probe:
        """The probe of a version (label: what it is to the search, 'good end', 'step 3 of
        about 8'); two may run at once, each in a thread of its own."""
        if version in self.seen:
            return self.seen[version]
        t0 = time.monotonic()
        probe = earlier(self.raw_dir, version, self.query)
        how = "earlier result"
        if probe is None:
            outcome = installs.run_release(self.plans[version], self.index_url, self.cases_dir,
                                           [self.query.case, *self.also], self.raw_dir,
                                           self.query.all_variants, quiet=True,
                                           script=self.query.kind == "script" and Path(
                                               self.query.path) or None, cache=not self.drop)
            probe = earlier(self.raw_dir, version, self.query) if outcome.status == "ran" else None
            if probe is None:
                probe = Probe(version, outcome.status if outcome.status != "ran" else "error",
                              outcome.detail or "the runner wrote no result for this cell",
                              source=str(outcome.raw))
            how = ("reused env" if outcome.reused_env else "new env") if outcome.status == "ran" \
                else "not run"
            if outcome.status == "ran" and not outcome.reused_env:
                self.made.append(version)
        probe.seconds = time.monotonic() - t0
        self.seen[version] = probe
        if nightly.is_nightly(version) and probe.git_version:
            index.remember_commit(version, probe.git_version)
        where = Path(probe.source).name if probe.source else ""
        self.say(f"  {label:<22} {version:<18} {probe.status:<10} {probe.seconds:6.1f} s  "
                 f"{clock(time.monotonic() - self.started)} so far  {how} {where}".rstrip()
                 + (f": {probe.detail[:160]}" if probe.status not in (GRAD, NONE) and probe.detail
                    else ""))
        return probe


def value_sides(old: Probe, new: Probe, tol: float):
    """For --value: the side of a probe (True: the new end's value, False: the old end's, None:
    neither: another status, no value, or a third value), once the ends are checked: one status,
    fingerprints further apart than tol."""
    if old.status != new.status:
        raise UserError(f"--value: the ends differ in status ({old.version} {old.status}, "
                        f"{new.version} {new.status}): bisect the status without --value")
    apart = values.difference(old.value or {}, new.value or {})
    if apart is None:
        raise UserError(f"--value: {old.version} or {new.version} has no value of this pair")
    if apart <= tol:
        raise UserError(f"nothing to bisect: the values at {old.version} and {new.version} are "
                        f"within {tol:g} of each other ({values.show(old.value)})")

    def side(probe: Probe) -> bool | None:
        if probe.status != old.status or not probe.value:
            return None
        to_new, to_old = (values.difference(probe.value, end.value) for end in (new, old))
        if to_new is not None and to_new <= tol:
            return True
        if to_old is not None and to_old <= tol:
            return False
        probe.third_value = values.show(probe.value)
        return None
    return side


def why_skipped(probe: Probe) -> str:
    """Why a probe is neither side: a third status (an outcome that is neither end's), or no
    result (not installable, the pair missing, the harness failing)."""
    if probe.third_value:
        return f"{probe.status}, a third value: {probe.third_value}"
    third = ", a third status" if probe.status in OUTCOMES else ""
    return f"{probe.status}{third}: {probe.detail}" if probe.detail else probe.status + third
