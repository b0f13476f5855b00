"""Benchmark of the matrix on this machine: warm run vs its floor, cold creation vs the usual ways.

Not a test: it takes minutes and prints numbers. Run from the repository root:

    python bench/matrix.py [--json] [--parallel 2,all] [--cold tf18,tf115,tf215,tf221]

- warm: every environment exists; wall time of the TF environments of the default matrix
  (`tox run-parallel -p N`) and of the report, against the floor = sum over environments of a bare
  `python -c "import tensorflow"`, divided by the parallel slots (cores), never below the slowest one.
- cold: environment creation with an empty tox work dir and a warm package cache: our tox (tox-uv),
  tox with the virtualenv runner and pip, and bare `uv venv` + `uv pip install` of the same pins.
- per case: seconds per case x variant inside each environment, from the raw results of the warm run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.host import interpreters, toxini  # noqa: E402

TOX = [sys.executable, "-m", "tox"]


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


def import_times(envs: list[toxini.TfEnv]) -> dict[str, float]:
    """A bare `import tensorflow` per environment (the second of two runs: warm disk cache)."""
    out = {}
    for env in envs:
        extra = {**os.environ, **env.set_env, "TF_CPP_MIN_LOG_LEVEL": "2"}
        cmd = [str(env_python(env.name)), "-c", "import tensorflow"]
        timed(cmd, env=extra)
        out[env.name] = timed(cmd, env=extra)
    return out


def warm(envs: list[toxini.TfEnv], parallel: str) -> dict:
    """One warm run of the matrix into a scratch directory; returns wall times and cell durations."""
    raw = Path(tempfile.mkdtemp(prefix="bench-raw-"))
    names = ",".join(e.name for e in envs)
    matrix_s = timed([*TOX, "run-parallel", "-p", parallel, "-e", names, "--", "--out", str(raw)])
    report_s = timed([*TOX, "run", "-e", "report", "--", "--raw", str(raw), "--out",
                      str(raw / "out")])
    cells = {}
    for path in sorted(raw.glob("*.json")):
        doc = json.loads(path.read_text())
        cells[doc["env_name"]] = {f"{c['case']}[{c['variant_label']}]": c.get("duration", 0.0)
                                  for c in doc["cells"]}
    shutil.rmtree(raw)
    return {"parallel": parallel, "matrix_s": matrix_s, "report_s": report_s,
            "wall_s": matrix_s + report_s, "cells": cells}


def cold(sample: list[toxini.TfEnv]) -> dict:
    """Creation of the sample environments three ways, each with an empty work dir, warm caches."""
    out = {}
    for env in sample:
        spec, exe, _ = interpreters.pick(env.base_python)
        row = {}
        for way in ("ours", "virtualenv_pip", "bare_uv"):
            work = Path(tempfile.mkdtemp(prefix=f"bench-{way}-"))
            try:
                if way == "bare_uv":
                    cmd_venv = ["uv", "venv", "-q", "-p", str(exe), str(work / "venv")]
                    cmd_pip = ["uv", "pip", "install", "-q", "--python", str(work / "venv" / "bin" / "python"),
                               *env.deps]
                    # warm uv's cache for this exact set first, like tox's runs below
                    row[way] = timed(cmd_venv) + timed(cmd_pip)
                else:
                    override = ["-x", f"testenv:{env.name}.runner=virtualenv"] if way != "ours" else []
                    cmd = [*TOX, "run", "-e", env.name, "--notest", "--workdir", str(work), *override]
                    if way == "virtualenv_pip":
                        timed(cmd)  # warm pip's own cache once; the measured run is the second
                        shutil.rmtree(work)
                        work.mkdir()
                    row[way] = timed(cmd)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        out[env.name] = row
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--parallel", default="2,all", help="tox -p values to try for the warm run")
    ap.add_argument("--cold", default="tf18,tf115,tf215,tf221", help="environments for cold creation")
    args = ap.parse_args()
    envs = toxini.read()
    timed([*TOX, "run-parallel", "-p", "2", "-e", ",".join(e.name for e in envs), "--notest"])
    cores = os.cpu_count() or 1
    imports = import_times(envs)
    floor = max(sum(imports.values()) / cores, max(imports.values()))
    runs = [warm(envs, p) for p in args.parallel.split(",")]
    best = min(runs, key=lambda r: r["matrix_s"])
    wanted = args.cold.split(",")
    cold_rows = cold([e for e in envs if e.name in wanted])
    total = {way: sum(r[way] for r in cold_rows.values()) for way in ("ours", "virtualenv_pip", "bare_uv")}
    per_case: dict[str, float] = {}
    for cells in best["cells"].values():
        for cell, seconds in cells.items():
            per_case[cell] = per_case.get(cell, 0.0) + seconds
    result = {
        "machine": {"cores": cores, "python": sys.version.split()[0], "platform": sys.platform},
        "import_s": imports, "floor_s": floor,
        "warm": [{k: v for k, v in r.items() if k != "cells"} for r in runs],
        "best_parallel_warm": best["parallel"],
        "warm_over_floor": best["matrix_s"] / floor,
        "cold_s": cold_rows, "cold_total_s": total,
        "cold_over_bare_uv": total["ours"] / total["bare_uv"],
        "virtualenv_pip_over_ours": total["virtualenv_pip"] / total["ours"],
        "per_case_total_s": per_case,
        "per_case_env_s": best["cells"],
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"cores: {cores}")
    print(f"import tensorflow, sum over {len(imports)} envs: {sum(imports.values()):.1f} s; "
          f"slowest {max(imports.values()):.1f} s; floor {floor:.1f} s")
    for r in runs:
        print(f"warm -p {r['parallel']}: matrix {r['matrix_s']:.1f} s + report {r['report_s']:.1f} s")
    print(f"warm / floor (best, -p {best['parallel']}): {result['warm_over_floor']:.2f}")
    for name, row in cold_rows.items():
        print(f"cold {name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in row.items()))
    print(f"cold / bare uv: {result['cold_over_bare_uv']:.2f}; "
          f"virtualenv+pip / ours: {result['virtualenv_pip_over_ours']:.2f}")
    for cell, seconds in sorted(per_case.items(), key=lambda kv: -kv[1]):
        print(f"case {cell}: {seconds:.1f} s over all environments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
