"""`python -m harness run-releases`: any release of the index in a cached uv environment, outside tox.ini.

Each release gets `<cache>/envs/tf-<V>-py<X.Y>`, created once with uv and reused while its install
list is unchanged; the runner there writes `<out>/rel-<V>.json` beside the matrix's raw files.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.host.anyrelease import index, versions
from harness.host.envs import toxini
from harness.host.errors import UserError
from harness.inside.sources import cases as caselib
from harness.inside.running import rawfile
from harness.schema import INSTALL_FAILED, SKIPPED

# Not a status: the runner ran in the release (its raw file holds the statuses).
RAN = "ran"

ROOT = toxini.ROOT
RAW_DIR = ROOT / "results" / "raw"
_MARKER = ".harness-env.json"


@dataclass
class Outcome:
    """What became of one release: ran (exit code of the runner), or why it did not."""

    version: str
    raw: Path
    status: str  # RAN, INSTALL_FAILED, SKIPPED
    detail: str = ""
    exit_code: int | None = None
    install_seconds: float = 0.0
    run_seconds: float = 0.0
    reused_env: bool = False


def env_name(version: str) -> str:
    return f"rel-{version}"


def env_dir(plan: versions.Plan) -> Path:
    return index.cache_dir() / "envs" / f"tf-{plan.version}-py{plan.python}"


@contextmanager
def _locked(path: Path):
    # Two harness processes (a bisect and a run-releases) may want the same environment at once.
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _uv() -> str:
    exe = shutil.which("uv")
    if exe is None:
        raise UserError("uv is not on PATH; install it with: python3 -m pip install uv")
    return exe


def _tail(text: str) -> str:
    """The line of uv's output that says what went wrong (uv marks it with ×), else its last line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    marked = [ln for ln in lines if ln.startswith(("×", "error:"))]
    return (marked or lines or ["no output"])[0][:300]


def ensure_env(plan: versions.Plan, index_url: str, cache: bool = True) -> tuple[Path, bool]:
    """(the environment's python, whether it was reused); RuntimeError(one line) if it cannot be made.
    cache=False: uv installs without its cache (a copy of its own, which deleting the environment
    frees: bisect --drop-envs); the cache, which tox's environments share, is never emptied."""
    where = env_dir(plan)
    python = where / "bin" / "python"
    wanted = {"deps": list(plan.deps), "python": plan.python, "index": index_url}
    with _locked(where.with_name(where.name + ".lock")):
        try:
            if json.loads((where / _MARKER).read_text()) == wanted and python.exists():
                return python, True
        except (OSError, ValueError):
            pass
        shutil.rmtree(where, ignore_errors=True)
        log = where.with_name(where.name + ".install.log")
        steps = [[_uv(), "venv", "--quiet", "-p", plan.interpreter, str(where)],
                 [_uv(), "pip", "install", "--python", str(python), "--default-index", index_url,
                  *(["--no-cache"] if not cache else []), *plan.deps]]
        with open(log, "w") as out:
            for cmd in steps:
                out.write("$ " + " ".join(cmd) + "\n")
                out.flush()
                proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, text=True,
                                      check=False)
                if proc.returncode != 0:
                    raise RuntimeError(f"{_tail(log.read_text().split('$ ')[-1])} (log: {log})")
        (where / _MARKER).write_text(json.dumps(wanted))
    return python, False


def drop_env(plan: versions.Plan) -> None:
    """Delete a release's environment (a nightly build is about 2 GB on disk), one made without
    uv's cache (ensure_env(cache=False)): what a long search through the nightlies leaves behind.
    uv's cache is never cleaned here: `uv cache clean tensorflow` would drop every release's
    wheels, which every tox environment made later would download again."""
    where = env_dir(plan)
    with _locked(where.with_name(where.name + ".lock")):
        shutil.rmtree(where, ignore_errors=True)


def _write_failed(out_dir: Path, plan: versions.Plan, status: str, detail: str) -> Path:
    path = out_dir / f"{env_name(plan.version)}.json"
    env = {"tf_package": plan.package, "python_version": plan.python or ""}
    rawfile.write(str(path), rawfile.failed_env(env_name(plan.version), plan.version, status,
                                                detail, env))
    return path


def run_release(plan: versions.Plan, index_url: str, cases_dir: Path, case_names: list[str],
                out_dir: Path, all_variants: bool = False, timeout: float | None = None,
                quiet: bool = False, script: Path | None = None, cache: bool = True) -> Outcome:
    """Install (or reuse) the release's environment and run the cases (or the script) there;
    never raises for it."""
    raw = out_dir / f"{env_name(plan.version)}.json"
    if plan.problem:
        return Outcome(plan.version, _write_failed(out_dir, plan, SKIPPED, plan.problem), SKIPPED,
                       plan.problem)
    t0 = time.monotonic()
    try:
        python, reused = ensure_env(plan, index_url, cache)
    except RuntimeError as exc:
        detail = f"uv could not install {' '.join(plan.deps)} for Python {plan.python}: {exc}"
        return Outcome(plan.version, _write_failed(out_dir, plan, INSTALL_FAILED, detail),
                       INSTALL_FAILED, detail, install_seconds=time.monotonic() - t0)
    t1 = time.monotonic()
    cmd = [str(python), "-m", "harness", "run", "--env-name", env_name(plan.version),
           "--out", str(out_dir)]
    cmd += ["--script", str(script)] if script else ["--cases", str(cases_dir)] + [
        arg for name in case_names for arg in ("--case", name)]
    cmd += ["--all-variants"] * all_variants + (["--timeout", str(timeout)] if timeout else [])
    environ = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONWARNINGS="ignore",
                   HARNESS_ENV_NAME=env_name(plan.version), **plan.set_env)
    environ.pop("PYTHONPATH", None)  # the checkout comes first on sys.path through cwd and -m
    proc = subprocess.run(cmd, cwd=ROOT, env=environ, check=False, text=True,
                          capture_output=quiet)
    detail = ""
    if proc.returncode not in (0, 1):
        detail = _tail(proc.stderr or "") if quiet else f"runner exited with {proc.returncode}"
    return Outcome(plan.version, raw, RAN, detail, proc.returncode, t1 - t0,
                   time.monotonic() - t1, reused)


def check_cases(cases_dir: Path, names: list[str]) -> list[caselib.CaseSpec]:
    """The cases to run, checked on the host before any environment is made."""
    specs, problems = caselib.discover(str(cases_dir), names or None)
    problems += [s.problem for s in specs if s.problem]
    if problems:
        raise UserError(problems[0])
    return specs


def choose_variant(spec: caselib.CaseSpec, overrides: list[str]) -> list[tuple[str, object]]:
    """--variant axis=value ... (repeatable) over the case's default configuration: ordered
    (axis, value) pairs, values typed as the case declares them."""
    axes = dict(spec.axes)
    chosen = [(axis, values[0]) for axis, values in spec.axes]
    for item in overrides:
        axis, sep, text = item.partition("=")
        if not sep or axis not in axes:
            raise UserError(f"--variant {item}: unknown variant axis {axis!r} of case {spec.name} "
                            f"(axes: {', '.join(axes) or 'none'}); write axis=value")
        labels = [str(v) for v in axes[axis]]
        if text not in labels:
            raise UserError(f"--variant {item}: unknown value {text!r} for axis {axis} of case "
                            f"{spec.name} (values: {', '.join(labels)})")
        chosen = [(a, axes[axis][labels.index(text)] if a == axis else v) for a, v in chosen]
    return chosen


def add_arguments(parser) -> None:
    parser.add_argument("versions", nargs="+", metavar="V",
                        help="releases, e.g. 1.5.1 1.6.0, or tf-nightly builds: 2.23.0.dev20261026, "
                             "a date 2026-10-26, 'nightly' for the newest")
    add_run_arguments(parser)
    parser.add_argument("--case", action="append", nargs="+", default=[], metavar="NAME",
                        help="run only these cases (repeatable; default: every case)")
    parser.add_argument("--script", type=Path, default=None, metavar="PATH",
                        help="run this script as it is instead of cases (run --script)")
    parser.add_argument("--all-variants", action="store_true", help="the full product of the axes")
    parser.add_argument("--timeout", type=float, help="seconds one cell may take (runner default)")


def add_run_arguments(parser) -> None:
    """Options shared with bisect: where cases and raw files are, and index freshness."""
    parser.add_argument("--cases", type=Path, default=ROOT / "cases", help="directory of case files")
    parser.add_argument("--out", type=Path, default=RAW_DIR,
                        help="where raw JSON files are read and written (default: results/raw)")
    parser.add_argument("--refresh", action="store_true", help="ask the index again, ignore its cache")


def summary(outcome: Outcome) -> str:
    """One line per release for the terminal."""
    if outcome.status != RAN:
        return f"{outcome.version}: {outcome.status}: {outcome.detail}"
    how = "reused env" if outcome.reused_env else f"installed in {outcome.install_seconds:.1f} s"
    state = {0: "ok", 1: "some cells failed"}.get(outcome.exit_code, outcome.detail)
    return f"{outcome.version}: {state}, ran in {outcome.run_seconds:.1f} s ({how}) -> {outcome.raw}"


def run(args) -> int:
    names = [n for group in args.case for n in group]
    cases_dir = args.cases.resolve()
    script = args.script.resolve() if args.script else None
    if script and names:
        raise UserError("--script runs one script instead of cases: drop --case")
    if script and not script.is_file():
        raise UserError(f"{args.script}: no such script")
    if not script:
        check_cases(cases_dir, names)
    url, catalog = index.read(refresh=args.refresh)
    envs = toxini.read()
    plans, unknown = [], []
    for version in dict.fromkeys(args.versions):
        try:
            plans.append(versions.lookup(version, catalog, envs, url))
        except UserError as exc:
            unknown.append(str(exc))
    for line in unknown[:-1]:
        print(f"harness: {line}", file=sys.stderr)
    if unknown:
        raise UserError(unknown[-1] + "; nothing was run")
    out_dir = args.out.resolve()
    bad = 0
    for k, plan in enumerate(plans, 1):
        print(f"release {k} of {len(plans)}: {plan.version}", flush=True)
        if not plan.problem:
            print(f"{plan.version}: {plan.package} on python{plan.python} with "
                  f"{' '.join(plan.deps[1:]) or 'no pins'} (pins of {plan.pins_from})", flush=True)
        outcome = run_release(plan, url, cases_dir, names, out_dir, args.all_variants,
                              args.timeout, script=script)
        print(summary(outcome), flush=True)
        bad += outcome.status != RAN or outcome.exit_code != 0
    if bad:
        print(f"harness: {bad} of {len(plans)} releases did not run cleanly", file=sys.stderr)
    return 1 if bad else 0
