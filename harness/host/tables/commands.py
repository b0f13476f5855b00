"""The commands a report hands out, each runnable as printed from the checkout: where a case's
cells come from (--cases/--case, or --script) and where its results are (--out), the Reproduce
section's commands per case, and what `tox -e ENVS` needs to add releases to these results.
"""
from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from harness.host.envs import toxini
from harness.host.tables import findings, kerasline, load
from harness.host.tables.findings import Finding

OUTSIDE = "rel-"  # raw files of builds outside tox.ini: rel-VERSION.json (installs.env_name)
DEFAULT_CASES, DEFAULT_RAW, DEFAULT_OUT = "cases", "results/raw", "results"


def shown_path(path: Path | str) -> str:
    """A path as a command run from the checkout takes it: relative inside the checkout (no
    '..'), absolute outside it."""
    full = Path(os.path.normpath(toxini.ROOT / path))
    try:
        return full.relative_to(toxini.ROOT).as_posix() or "."
    except ValueError:
        return str(full)


def place_args(cases: str, raw: str, case: str = "",
               script: str = "") -> tuple[list[str], list[str]]:
    """(['--cases', DIR, '--case', NAME], ['--out', DIR]) of a command run from the checkout, each
    part empty where it is the default (cases, results/raw); all as shown_path writes them. A
    script's cells are named by ['--script', PATH] instead."""
    if script:
        return ["--script", script], [] if raw == DEFAULT_RAW else ["--out", raw]
    return ([] if cases == DEFAULT_CASES else ["--cases", cases]) + (["--case", case] if case
                                                                      else []), \
        [] if raw == DEFAULT_RAW else ["--out", raw]


def tox_args(docs: list[dict], raw: Path | str) -> str:
    """What `tox -e ENVS` needs after '--' to run more releases into these results: the run's
    --script or --cases, and --out, where not the defaults ('' when all are)."""
    # the cells' case files as recorded (relative to the checkout), not the run's absolute
    # cases_dir: a report of raw files made in another checkout names this one's folders
    cells = [c for d in docs for c in d["cells"] if c.get("case_file")]
    script = next((c["case_file"] for c in cells if c.get("kind") == "script"), "")
    cases = shown_path(Path(cells[0]["case_file"]).parent) if cells else DEFAULT_CASES
    place, out = place_args(cases, shown_path(raw), "", shown_path(script) if script else "")
    args = [*place, *out]
    return f" -- {' '.join(shlex.quote(a) for a in args)}" if args else ""


@dataclass
class Repro:
    """How to reproduce one case: the tox environments of its findings and the repro's release."""

    case: str
    envs: str
    first: object
    cases_dir: str = DEFAULT_CASES  # where its file is, as a command line names it
    script: str = ""  # the user's script the cells came from (run --script), as shown_path names it
    releases: list[str] = field(default_factory=list)  # builds outside tox.ini (run-releases, bisect)

    def commands(self, raw: Path, out: Path) -> list[str]:
        """The commands of the report's Reproduce section, each runnable as printed from the
        checkout: --cases, --out and --raw wherever they are not the defaults; builds that are no
        environment of tox.ini (a bisect's probes, run-releases) by run-releases."""
        raw_arg, out_arg = shown_path(raw), shown_path(out)
        place, keep = place_args(self.cases_dir, raw_arg, self.case, self.script)
        report = "" if (raw_arg, out_arg) == (DEFAULT_RAW, DEFAULT_OUT) else \
            f" -- --raw {shlex.quote(raw_arg)} --out {shlex.quote(out_arg)}"
        run = " ".join(shlex.quote(a) for a in [*place, *keep])
        runs = ([f"tox -e {self.envs} -- {run}"] if self.envs else []) + (
            [f"python -m harness run-releases {' '.join(self.releases)} {run}"]
            if self.releases else [])
        # '; ', not '&&': the runner exits 1 when any cell of the environment is an error, which
        # in a corpus of documented changes is a finding (einsum_diagonal on 2.0): the next run
        # and the report must still come; the report says what failed
        lines = ["python3 -m pip install -r requirements.txt",
                 "; ".join(runs + [f"tox -e report{report}"])]
        if self.script:  # the script is its own standalone repro
            env = self.envs.split(",")[0]
            return lines + ([f"tox -e {env} --notest && .tox/{env}/bin/python "
                             f"{shlex.quote(self.script)}   # the script alone, under that "
                             "release's pins"] if env else [])
        cases = place[:-2]
        where = " ".join(shlex.quote(a) for a in [*cases, *(["--raw", raw_arg] if keep else [])])
        return lines + [f"python -m harness repro --case {shlex.quote(self.case)} --tf "
                        f"{self.first}" + (f" {where}" if where else "")
                        + "   # standalone script + pins"]


def reproduce(found: list[Finding], tidy: pd.DataFrame, docs: list[dict]) -> list[Repro]:
    """Per case with findings (else every case): the environments of its releases at a finding."""
    cases = list(dict.fromkeys(f.case for f in found)) or sorted(set(tidy["case"]) - {load.ANY})
    env_of = {d["env"].get("tf_version"): d["env_name"] for d in docs}
    files = {cell["case"]: cell["case_file"] for d in docs for cell in d["cells"]
             if cell.get("case_file")}
    scripts = load.script_cases(docs)
    out = []
    for case in cases:
        versions = [v for f in found if f.case == case for v in (f.last_old, f.first_new)]
        named = list(dict.fromkeys(env_of[v] for v in versions if v in env_of))
        releases = [n[len(OUTSIDE):] for n in named if n.startswith(OUTSIDE)]
        envs = ",".join(n for n in named if not n.startswith(OUTSIDE)) or (
            "" if releases else "tf18")
        folder = shown_path(Path(files[case]).parent) if case in files else DEFAULT_CASES
        out.append(Repro(case, envs, versions[0] if versions else (env_of and next(iter(env_of))),
                         folder, shown_path(files[case]) if case in scripts and case in files
                         else "", releases))
    return out


def bisect_args(an, f: Finding, raw: Path | None) -> list[str]:
    """What follows `python -m harness bisect` to narrow finding f down, as the report prints it
    and bisect-all runs it ([] on the Keras 3 line: bisect runs the environment's Keras)."""
    pairs = an.variants.pairs(f.case, f.variant)
    if kerasline.on_line(pairs):
        return []
    default = an.variants.default(f.case)
    overrides = [f"{axis}={value}" for axis, value in pairs if default.get(axis) != value]
    repro = next((r for r in an.reproduce if r.case == f.case), None)
    return findings.bisect_args(f, overrides, *place_args(
        repro.cases_dir if repro else DEFAULT_CASES, shown_path(raw) if raw else DEFAULT_RAW,
        f.case, repro.script if repro else ""))
