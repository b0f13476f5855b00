"""Benchmark of the matrix on this machine: warm run vs its floor, cold creation vs the usual ways.

Not a test: it takes about 35 minutes (the cold part alone, `--only cold`, about 11) and prints
numbers. Run from the repository root:

    python bench/matrix.py [--json] [--only warm|cold|floor] [--parallel 2,3] [--envs tf115,tf221]
                            [--tox-workdir /work/main/.tox] [--cold tf18,tf115,tf215,tf221] [--repeat 3]
                            [--floor-parallel 2] [--floor-repeat 1] [--floor-session]

- work floor (`--only floor`, issue 17 item 3): bench/work_floor.py, one process per environment
  with the environment's python (--floor-parallel at a time, as `tox -p` here), imports TensorFlow
  once, builds each default cell of the seed through the case's build() and calls tf.gradients once
  per target, and nothing else (`--floor-session`: plus one evaluation of targets and gradients per
  cell). Side by side in the same run: over that floor, the seed matrix symbolic-only (statuses
  from tf.gradients alone: `--no-numeric --no-breakpoint --no-values`, the same work as the floor)
  and in full (every check, value fingerprints included); the every-case matrix with
  nothing changed over a tox pass whose command is a no-op; after one new case (a copy of
  cases/minimal_rnn_trigger.py) the matrix over the floor of that case alone; and the TensorFlow
  imports per 2.x environment of the every-case matrix (the raw files' `run.workers`). Every run goes
  to a scratch directory; `--rerun` is passed wherever a full recomputation is meant and the runner
  has the option (a result cache).

- floor: per environment a bare `python -c "import tensorflow"`, twice in a row; the second (page
  cache hot) is the issue's floor, summed over environments and divided by the cores, never below the
  slowest one. The first is what a pass over all environments sees: the TensorFlow libraries of the 30
  environments do not all fit in this machine's page cache, so a matrix run reads some from disk.
- warm: every environment exists. The goal's default matrix is the seed case with its default
  variants (`--case seed_conv_bn_gru`), run with `tox run-parallel -p N` for each N asked; then at
  the best N the same matrix without the numeric check and break points (its symbolic part alone) and
  the matrix of every default case. Cell time is split into phases (build + the case's own
  tf.gradients, break points, numeric check) from the raw results.
- cold: environment creation with an empty tox work dir and a warm package cache: our tox (tox-uv),
  tox with the virtualenv runner and pip, and bare `uv venv` + `uv pip install` of the same pins;
  ours and bare uv are repeated and the median taken. Per environment, ours pays one tox start-up
  (~0.4 s) per environment; a user creates all environments with one tox command, so the headline
  `cold_over_bare_uv` compares the sample created by one `tox run --notest -e <sample>` with bare uv
  creating the same environments one after the other, alternating the two, medians of --repeat runs
  (`cold_over_bare_uv_per_env` keeps the per-environment ratio). Then the sample created by one
  `tox run-parallel --notest -p N` per N, for the best cold parallelism.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.host.envs import interpreters, toxini  # noqa: E402

TOX = [sys.executable, "-m", "tox"]
SEED = "seed_conv_bn_gru"
WAYS = ("ours", "virtualenv_pip", "bare_uv")


def timed(cmd: list[str], **kw) -> float:
    """Seconds of one command that must succeed."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=kw.pop("cwd", ROOT), capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        raise SystemExit(f"bench: failed ({proc.returncode}): {' '.join(cmd)}\n"
                         f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def env_python(name: str, workdir: Path = ROOT / ".tox") -> Path:
    return workdir / name / "bin" / "python"


def import_times(envs: list[toxini.TfEnv], workdir: Path = ROOT / ".tox"
                 ) -> dict[str, dict[str, float]]:
    """{env: {"first": s, "hot": s}}: a bare `import tensorflow` twice in a row, in matrix order."""
    out = {}
    for env in envs:
        extra = {**os.environ, **env.set_env, "TF_CPP_MIN_LOG_LEVEL": "2"}
        cmd = [str(env_python(env.name, workdir)), "-c", "import tensorflow"]
        first = timed(cmd, env=extra)
        out[env.name] = {"first": first, "hot": timed(cmd, env=extra)}
    return out


def floor_of(seconds: list[float], cores: int) -> float:
    """Sum over environments spread over the cores, never below the slowest single one."""
    return max(sum(seconds) / cores, max(seconds))


def cell_seconds(raw: Path) -> dict:
    """Cell time of one run's raw files: per env x cell, and per phase summed over all cells.

    Phases are the worker's laps; what a cell took beyond them (building the graph, the case's own
    tf.gradients calls are the `gradients` lap) is `build`. imports: the workers each environment
    started, one TensorFlow import each (one, unless a cell crashed or timed out).
    """
    cells: dict[str, dict[str, float]] = {}
    phases: dict[str, float] = {}
    imports: dict[str, int] = {}
    for path in sorted(raw.glob("*.json")):
        doc = json.loads(path.read_text())
        row = cells.setdefault(doc["env_name"], {})
        imports[doc["env_name"]] = doc.get("run", {}).get("workers", 0)
        for cell in doc["cells"]:
            seconds = float(cell.get("duration") or 0.0)
            row[f"{cell['case']}[{cell['variant_label']}]"] = seconds
            laps = cell.get("timings") or {}
            for phase, lap in laps.items():
                phases[phase] = phases.get(phase, 0.0) + lap
            phases["build"] = phases.get("build", 0.0) + max(0.0, seconds - sum(laps.values()))
    return {"cells": cells, "phases": phases, "imports": imports,
            "cell_total_s": sum(s for row in cells.values() for s in row.values())}


def workdir_args(workdir: Path) -> list[str]:
    """tox's --workdir for environments other than the checkout's own .tox (e.g. /work/main/.tox)."""
    return [] if Path(workdir).resolve() == (ROOT / ".tox").resolve() else ["--workdir", str(workdir)]


def warm(envs: list[toxini.TfEnv], parallel: str, label: str, run_args: list[str],
         workdir: Path = ROOT / ".tox") -> dict:
    """One warm run into a scratch directory: wall time of the matrix and of the report, cell times."""
    with tempfile.TemporaryDirectory(prefix="bench-raw-") as tmp:
        raw = Path(tmp)
        names = ",".join(e.name for e in envs)
        wd = workdir_args(workdir)
        matrix_s = timed([*TOX, "run-parallel", "-p", parallel, "-e", names, *wd, "--", *run_args,
                          "--out", str(raw)])
        report_s = timed([*TOX, "run", "-e", "report", *wd, "--", "--raw", str(raw), "--out",
                          str(raw / "out")])
        seconds = cell_seconds(raw)
    return {"matrix": label, "parallel": parallel, "args": run_args, "matrix_s": matrix_s,
            "report_s": report_s, **seconds}


def create(env: toxini.TfEnv, way: str) -> float:
    """Seconds to create one environment one way, in an empty work dir."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{way}-") as work:
        if way == "bare_uv":
            spec, exe, _ = interpreters.pick(env.base_python)
            venv = Path(work) / "venv"
            return (timed(["uv", "venv", "-q", "-p", str(exe), str(venv)])
                    + timed(["uv", "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
                             *env.deps]))
        override = ["-x", f"testenv:{env.name}.runner=virtualenv"] if way == "virtualenv_pip" else []
        return timed([*TOX, "run", "-e", env.name, "--notest", "--workdir", work, *override])


def cold(sample: list[toxini.TfEnv], repeat: int) -> dict:
    """{env: {way: median seconds}}; virtualenv+pip once after a run that warms pip's cache."""
    out = {}
    for env in sample:
        row = {}
        for way in WAYS:
            if way == "virtualenv_pip":
                create(env, way)  # pip's own cache warmed by the same install
                row[way] = create(env, way)
            else:
                row[way] = statistics.median(create(env, way) for _ in range(repeat))
        out[env.name] = row
    return out


def cold_sample(sample: list[toxini.TfEnv], repeat: int) -> dict:
    """Median seconds to create the whole sample: one tox command vs bare uv, runs alternated."""
    ours, bare = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-sample-") as work:
            ours.append(timed([*TOX, "run", "-e", ",".join(e.name for e in sample), "--notest",
                               "--workdir", work]))
        bare.append(sum(create(env, "bare_uv") for env in sample))
    return {"ours": statistics.median(ours), "bare_uv": statistics.median(bare),
            "ours_runs": ours, "bare_uv_runs": bare}


def cold_parallel(sample: list[toxini.TfEnv], parallel: str) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-coldp-") as work:
        return timed([*TOX, "run-parallel", "-p", parallel, "-e", ",".join(e.name for e in sample),
                      "--notest", "--workdir", work])


def measure_warm(envs: list[toxini.TfEnv], cores: int, parallels: list[str],
                 workdir: Path = ROOT / ".tox", rerun: list[str] | None = None) -> dict:
    """rerun: ["--rerun"] where the runner has a result cache, so every run recomputes every cell."""
    rerun = rerun or []
    timed([*TOX, "run-parallel", "-p", "2", "-e", ",".join(e.name for e in envs), "--notest",
           *workdir_args(workdir)])
    imports = import_times(envs, workdir)
    floor = floor_of([t["hot"] for t in imports.values()], cores)
    pass_floor = floor_of([t["first"] for t in imports.values()], cores)
    seed_args = ["--case", SEED, *rerun]
    runs = [warm(envs, p, "seed", seed_args, workdir) for p in parallels]
    best = min(runs, key=lambda r: r["matrix_s"])
    symbolic = warm(envs, best["parallel"], "seed_symbolic",
                    [*seed_args, "--no-numeric", "--no-breakpoint"], workdir)
    every = warm(envs, best["parallel"], "all_cases", [*rerun], workdir)
    per_case: dict[str, float] = {}
    for row in every["cells"].values():
        for cell, seconds in row.items():
            per_case[cell] = per_case.get(cell, 0.0) + seconds
    return {
        "import_s": imports, "floor_s": floor, "import_pass_floor_s": pass_floor,
        "warm": [{k: v for k, v in r.items() if k not in ("cells", "imports")}
                 for r in [*runs, symbolic, every]],
        "best_parallel_warm": best["parallel"],
        "warm_over_floor": best["matrix_s"] / floor,
        "warm_over_import_pass_floor": best["matrix_s"] / pass_floor,
        "warm_symbolic_over_floor": symbolic["matrix_s"] / floor,
        "warm_all_cases_over_floor": every["matrix_s"] / floor,
        "per_case_total_s": per_case,
        "per_case_env_s": every["cells"],
    }


def measure_cold(sample: list[toxini.TfEnv], repeat: int, parallels: list[str]) -> dict:
    rows = cold(sample, repeat)
    total = {way: sum(r[way] for r in rows.values()) for way in WAYS}
    at_once = cold_sample(sample, repeat)
    cold_p = {p: cold_parallel(sample, p) for p in parallels}
    return {
        "cold_s": rows, "cold_total_s": total, "cold_sample_s": at_once,
        "cold_over_bare_uv": at_once["ours"] / at_once["bare_uv"],
        "cold_over_bare_uv_per_env": total["ours"] / total["bare_uv"],
        "virtualenv_pip_over_ours": total["virtualenv_pip"] / total["ours"],
        "cold_parallel_s": cold_p,
        "best_parallel_cold": min(cold_p, key=cold_p.get),
    }


# --- The work floor (issue 17, item 3) ---------------------------------------------------------

FLOOR_SCRIPT = ROOT / "bench" / "work_floor.py"
NEW_CASE_FROM = "minimal_rnn_trigger"
NEW_CASE = "bench_new_case"
NOOP_OVERRIDE = ["-x", "testenv.commands=python -c pass"]
RATIOS = {  # key: (numerator, denominator), both seconds of measure_floor's "floor_runs_s"
    "symbolic_over_work_floor": ("seed_symbolic", "work_floor"),
    "full_over_work_floor": ("seed_full", "work_floor"),
    "unchanged_over_tox_noop": ("every_case_unchanged", "tox_noop"),
    "one_new_case_over_floor": ("one_new_case", "one_new_case_floor"),
}
FLOOR_KEYS = ("work_floor_s", *RATIOS, "every_case_imports_per_env")


def runner_has_rerun(help_text: str | None = None) -> bool:
    """Whether `python -m harness run` takes --rerun (the result cache): its --help, else its source."""
    if help_text is None:
        proc = subprocess.run([sys.executable, "-m", "harness", "run", "--help"], cwd=ROOT,
                              capture_output=True, text=True)
        help_text = proc.stdout if proc.returncode == 0 else ""
        if not help_text:
            help_text = "".join(p.read_text() for p in (ROOT / "harness" / "inside").glob("*.py"))
    return re.search(r"(?<![\w-])--rerun\b", help_text) is not None


def floor_ratios(seconds: dict[str, float]) -> dict[str, float | None]:
    """The *_over_* ratios of the floor measurement; None where a part was not measured."""
    out = {}
    for key, (num, den) in RATIOS.items():
        out[key] = (seconds[num] / seconds[den]
                    if seconds.get(num) is not None and seconds.get(den) else None)
    return out


def imports_per_env(raw: Path) -> dict[str, dict]:
    """{env: {"imports": TensorFlow imports of the run, "major": TF major}} from a run's raw files.

    The runner counts the worker processes it started (`run.workers`, one TensorFlow import each).
    """
    out = {}
    for path in sorted(raw.glob("*.json")):
        doc = json.loads(path.read_text())
        run = doc.get("run") or {}
        count = next((run[k] for k in ("tf_imports", "imports", "workers") if k in run), None)
        version = str((doc.get("env") or {}).get("tf_version") or "")
        major = int(version.split(".")[0]) if version[:1].isdigit() else (
            2 if doc["env_name"] == toxini.NIGHTLY_ENV or doc["env_name"].startswith("tf2") else 1)
        out[doc["env_name"]] = {"imports": count, "major": major}
    return out


def mean_imports_2x(per_env: dict[str, dict]) -> float | None:
    counts = [r["imports"] for r in per_env.values() if r["major"] >= 2 and r["imports"] is not None]
    return sum(counts) / len(counts) if counts else None


def floor_env(env: toxini.TfEnv, workdir: Path, floor_args: list[str]) -> dict:
    """One environment's floor process: its wall seconds and what work_floor.py printed."""
    extra = {**os.environ, **env.set_env, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}
    cmd = [str(env_python(env.name, workdir)), str(FLOOR_SCRIPT), *floor_args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=extra)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"bench: floor failed in {env.name} ({proc.returncode}): {' '.join(cmd)}\n"
                         f"{proc.stderr[-2000:]}")
    doc = json.loads(proc.stdout.strip().splitlines()[-1])
    failed = [c for c in doc["cells"] if c["status"].startswith("error")]
    if failed:
        raise SystemExit(f"bench: floor cells failed in {env.name}: {failed[:3]}")
    return {"wall_s": seconds, "import_s": doc["import_s"],
            "cells_s": sum(c["seconds"] for c in doc["cells"]),
            "cells": sum(1 for c in doc["cells"] if c["status"] == "ok")}


def floor_pass(envs: list[toxini.TfEnv], workdir: Path, parallel: int,
               floor_args: list[str]) -> dict:
    """The floor script in every environment, `parallel` at a time (as tox -p runs them)."""
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as pool:
        rows = dict(zip((e.name for e in envs),
                        pool.map(lambda e: floor_env(e, workdir, floor_args), envs)))
    return {"wall_s": time.perf_counter() - t0, "envs": rows}


def tox_pass(envs: list[toxini.TfEnv], workdir: Path, parallel: int, run_args: list[str] | None,
             out: Path | None = None) -> float:
    """Seconds of one `tox run-parallel` over the environments; run_args None: the no-op command."""
    cmd = [*TOX, "run-parallel", "-p", str(parallel), "-e", ",".join(e.name for e in envs),
           *workdir_args(workdir)]
    if run_args is None:
        return timed([*cmd, *NOOP_OVERRIDE])
    return timed([*cmd, "--", *run_args, "--out", str(out)])


def copy_cases(dest: Path) -> None:
    """The top-level case files of cases/ (what a bare `tox -p` runs), mtimes kept."""
    dest.mkdir(parents=True)
    for path in sorted((ROOT / "cases").glob("*.py")):
        shutil.copy2(path, dest / path.name)


def measure_floor(envs: list[toxini.TfEnv], workdir: Path, parallel: int = 2,
                  session: bool = True, rerun: bool | None = None, repeat: int = 1) -> dict:
    """Work floor and the harness side by side, same environments, same parallelism.

    1. floor script on the seed's default cells, then the seed matrix symbolic-only and in full
       (`repeat` rounds of the three, alternated; the median of each);
    2. the every-case matrix into a scratch results dir (with --rerun), its TensorFlow imports per
       environment; the same again with nothing changed, against a tox pass whose command is a no-op;
    3. one more case (a copy of cases/minimal_rnn_trigger.py) dropped into the scratch cases dir: the
       matrix again, against the floor script on that case alone.
    """
    rerun = runner_has_rerun() if rerun is None else rerun
    force = ["--rerun"] if rerun else []
    floor_opts = ["--session"] if session else []
    seed = ["--case", SEED]
    sec: dict[str, float] = {}
    detail: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        tmp = Path(tmp)
        rounds: dict[str, list[float]] = {"work_floor": [], "seed_symbolic": [], "seed_full": []}
        for i in range(repeat):
            floor = floor_pass(envs, workdir, parallel, [*seed, *floor_opts])
            rounds["work_floor"].append(floor["wall_s"])
            detail.setdefault("work_floor", floor["envs"])
            rounds["seed_symbolic"].append(tox_pass(
                envs, workdir, parallel,
                [*seed, "--no-numeric", "--no-breakpoint", "--no-values", *force],
                tmp / f"symbolic{i}"))
            rounds["seed_full"].append(tox_pass(envs, workdir, parallel, [*seed, *force],
                                                tmp / f"full{i}"))
        sec.update({key: statistics.median(runs) for key, runs in rounds.items()})

        cases, raw = tmp / "cases", tmp / "raw"
        copy_cases(cases)
        sec["every_case_first"] = tox_pass(envs, workdir, parallel,
                                           ["--cases", str(cases), *force], raw)
        imports = imports_per_env(raw)
        sec["every_case_unchanged"] = tox_pass(envs, workdir, parallel, ["--cases", str(cases)], raw)
        sec["tox_noop"] = tox_pass(envs, workdir, parallel, None)

        shutil.copy(ROOT / "cases" / f"{NEW_CASE_FROM}.py", cases / f"{NEW_CASE}.py")
        sec["one_new_case"] = tox_pass(envs, workdir, parallel, ["--cases", str(cases)], raw)
        new_floor = floor_pass(envs, workdir, parallel,
                               ["--cases", str(cases), "--case", NEW_CASE, *floor_opts])
        sec["one_new_case_floor"] = new_floor["wall_s"]
        detail["one_new_case_floor"] = new_floor["envs"]
    return {
        "work_floor_s": sec["work_floor"],
        **floor_ratios(sec),
        "every_case_imports_per_env": mean_imports_2x(imports),
        "floor": {"envs": [e.name for e in envs], "parallel": parallel, "session": session,
                  "runner_has_rerun": rerun, "runs_s": sec, "rounds_s": rounds,
                  "every_case_imports": imports,
                  "per_env": detail},
    }


def print_text(result: dict) -> None:
    print(f"cores: {result['machine']['cores']}")
    if "warm" in result:
        hot = [t["hot"] for t in result["import_s"].values()]
        print(f"import tensorflow over {len(hot)} envs: hot {sum(hot):.1f} s (slowest "
              f"{max(hot):.1f} s), floor {result['floor_s']:.1f} s; first in a pass: floor "
              f"{result['import_pass_floor_s']:.1f} s")
        for r in result["warm"]:
            phases = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(r["phases"].items()))
            print(f"warm {r['matrix']} -p {r['parallel']}: matrix {r['matrix_s']:.1f} s + report "
                  f"{r['report_s']:.1f} s; cells {r['cell_total_s']:.0f} s ({phases})")
        print(f"warm / floor (seed default matrix, -p {result['best_parallel_warm']}): "
              f"{result['warm_over_floor']:.2f} (vs the import-pass floor "
              f"{result['warm_over_import_pass_floor']:.2f}; symbolic only "
              f"{result['warm_symbolic_over_floor']:.2f}; every case "
              f"{result['warm_all_cases_over_floor']:.2f})")
    if "cold_s" in result:
        for name, row in result["cold_s"].items():
            print(f"cold {name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in row.items()))
        at_once = result["cold_sample_s"]
        print(f"cold sample in one command: ours {at_once['ours']:.1f} s, bare uv "
              f"{at_once['bare_uv']:.1f} s")
        print(f"cold / bare uv: {result['cold_over_bare_uv']:.2f} (per environment "
              f"{result['cold_over_bare_uv_per_env']:.2f}); virtualenv+pip / ours: "
              f"{result['virtualenv_pip_over_ours']:.2f}")
        print("cold sample with tox run-parallel: "
              + ", ".join(f"-p {p} {s:.1f} s" for p, s in result["cold_parallel_s"].items()))
    if "work_floor_s" in result:
        print_floor(result)
    for cell, seconds in sorted(result.get("per_case_total_s", {}).items(), key=lambda kv: -kv[1]):
        print(f"case {cell}: {seconds:.1f} s over all environments")


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def print_floor(result: dict) -> None:
    info = result.get("floor", {})
    sec = info.get("runs_s", {})
    names = info.get("envs", [])
    print(f"work floor (import + build + tf.gradients{', one evaluation' if info.get('session') else ''}"
          f" per seed cell, {len(names)} envs, {info.get('parallel', '?')} at a time): "
          f"{result['work_floor_s']:.1f} s; runner --rerun: {info.get('runner_has_rerun')}")
    for key, (num, den) in RATIOS.items():
        if num in sec and den in sec:
            print(f"{key}: {_ratio(result.get(key))} ({num} {sec[num]:.1f} s / {den} {sec[den]:.1f} s)")
    if "every_case_first" in sec:
        print(f"every-case matrix, first run: {sec['every_case_first']:.1f} s")
    imports = result.get("every_case_imports_per_env")
    print(f"every_case_imports_per_env (TensorFlow imports per 2.x environment, every case): "
          f"{'n/a' if imports is None else f'{imports:g}'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--parallel", default="2,3", help="tox -p values to try for the warm run")
    ap.add_argument("--cold", default="tf18,tf115,tf215,tf221", help="environments for cold creation")
    ap.add_argument("--cold-parallel", default="1,2,4", help="tox -p values for creating the sample")
    ap.add_argument("--repeat", type=int, default=3, help="runs per cold figure (median)")
    ap.add_argument("--only", choices=("warm", "cold", "floor"), help="measure only this part")
    ap.add_argument("--envs", help="comma-separated environments for the warm and floor parts "
                                   "(default: every TensorFlow environment of tox.ini)")
    ap.add_argument("--tox-workdir", type=Path, default=ROOT / ".tox",
                    help="tox work dir whose environments the warm and floor parts reuse "
                         "(default: this checkout's .tox; e.g. /work/main/.tox)")
    ap.add_argument("--floor-parallel", type=int, default=2,
                    help="environments at a time for the floor part (default 2, as tox -p here)")
    ap.add_argument("--floor-repeat", type=int, default=1,
                    help="rounds of floor, symbolic and full seed runs, alternated (median; default 1)")
    ap.add_argument("--floor-session", action="store_true",
                    help="the work floor plus one evaluation of targets and gradients per cell")
    args = ap.parse_args()
    envs = toxini.read()
    known = {e.name for e in envs}
    unknown = set(args.cold.split(",")) - known
    if unknown:
        raise SystemExit(f"bench: --cold names environments tox.ini does not have: {sorted(unknown)}")
    chosen = envs
    if args.envs:
        wanted = args.envs.split(",")
        if set(wanted) - known:
            raise SystemExit(f"bench: --envs names environments tox.ini does not have: "
                             f"{sorted(set(wanted) - known)}")
        chosen = [e for e in envs if e.name in wanted]
    cores = os.cpu_count() or 1
    result: dict = {"machine": {"cores": cores, "python": sys.version.split()[0],
                                "platform": sys.platform}}
    rerun = runner_has_rerun()
    if args.only in (None, "warm"):
        result.update(measure_warm(chosen, cores, args.parallel.split(","), args.tox_workdir,
                                   ["--rerun"] if rerun else []))
    if args.only in (None, "floor"):
        result.update(measure_floor(chosen, args.tox_workdir, args.floor_parallel,
                                    session=args.floor_session, rerun=rerun,
                                    repeat=args.floor_repeat))
    if args.only in (None, "cold"):
        sample = [e for e in envs if e.name in args.cold.split(",")]
        result.update(measure_cold(sample, args.repeat, args.cold_parallel.split(",")))
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
