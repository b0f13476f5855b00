"""Benchmark of the matrix on this machine: warm run vs its floor, cold creation vs the usual ways.

Not a test: it takes about 35 minutes (the cold part alone, `--only cold`, about 11) and prints
numbers. Run from the repository root:

    python bench/matrix.py [--json] [--only warm|cold] [--parallel 2,3] [--cold tf18,tf115,tf215,tf221]
                            [--repeat 3]

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
import json
import os
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


def import_times(envs: list[toxini.TfEnv]) -> dict[str, dict[str, float]]:
    """{env: {"first": s, "hot": s}}: a bare `import tensorflow` twice in a row, in matrix order."""
    out = {}
    for env in envs:
        extra = {**os.environ, **env.set_env, "TF_CPP_MIN_LOG_LEVEL": "2"}
        cmd = [str(env_python(env.name)), "-c", "import tensorflow"]
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


def warm(envs: list[toxini.TfEnv], parallel: str, label: str, run_args: list[str]) -> dict:
    """One warm run into a scratch directory: wall time of the matrix and of the report, cell times."""
    with tempfile.TemporaryDirectory(prefix="bench-raw-") as tmp:
        raw = Path(tmp)
        names = ",".join(e.name for e in envs)
        matrix_s = timed([*TOX, "run-parallel", "-p", parallel, "-e", names, "--", *run_args,
                          "--out", str(raw)])
        report_s = timed([*TOX, "run", "-e", "report", "--", "--raw", str(raw), "--out",
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


def measure_warm(envs: list[toxini.TfEnv], cores: int, parallels: list[str]) -> dict:
    timed([*TOX, "run-parallel", "-p", "2", "-e", ",".join(e.name for e in envs), "--notest"])
    imports = import_times(envs)
    floor = floor_of([t["hot"] for t in imports.values()], cores)
    pass_floor = floor_of([t["first"] for t in imports.values()], cores)
    seed_args = ["--case", SEED]
    runs = [warm(envs, p, "seed", seed_args) for p in parallels]
    best = min(runs, key=lambda r: r["matrix_s"])
    symbolic = warm(envs, best["parallel"], "seed_symbolic",
                    [*seed_args, "--no-numeric", "--no-breakpoint"])
    every = warm(envs, best["parallel"], "all_cases", [])
    per_case: dict[str, float] = {}
    for row in every["cells"].values():
        for cell, seconds in row.items():
            per_case[cell] = per_case.get(cell, 0.0) + seconds
    return {
        "import_s": imports, "floor_s": floor, "import_pass_floor_s": pass_floor,
        "warm": [{k: v for k, v in r.items() if k not in ("cells", "imports")}
                 for r in [*runs, symbolic, every]],
        "every_case_imports_per_env": max(every["imports"].values(), default=0),
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
    for cell, seconds in sorted(result.get("per_case_total_s", {}).items(), key=lambda kv: -kv[1]):
        print(f"case {cell}: {seconds:.1f} s over all environments")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--parallel", default="2,3", help="tox -p values to try for the warm run")
    ap.add_argument("--cold", default="tf18,tf115,tf215,tf221", help="environments for cold creation")
    ap.add_argument("--cold-parallel", default="1,2,4", help="tox -p values for creating the sample")
    ap.add_argument("--repeat", type=int, default=3, help="runs per cold figure (median)")
    ap.add_argument("--only", choices=("warm", "cold"), help="measure only this part")
    args = ap.parse_args()
    envs = toxini.read()
    unknown = set(args.cold.split(",")) - {e.name for e in envs}
    if unknown:
        raise SystemExit(f"bench: --cold names environments tox.ini does not have: {sorted(unknown)}")
    cores = os.cpu_count() or 1
    result: dict = {"machine": {"cores": cores, "python": sys.version.split()[0],
                                "platform": sys.platform}}
    if args.only != "cold":
        result.update(measure_warm(envs, cores, args.parallel.split(",")))
    if args.only != "warm":
        sample = [e for e in envs if e.name in args.cold.split(",")]
        result.update(measure_cold(sample, args.repeat, args.cold_parallel.split(",")))
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
