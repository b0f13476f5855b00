"""The benchmark's arithmetic on recorded raw files (the benchmark itself is not a test)."""
import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_matrix", ROOT / "bench" / "matrix.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_floor_spreads_over_cores_but_not_below_the_slowest():
    assert bench.floor_of([1.0, 2.0, 3.0], 2) == 3.0
    assert bench.floor_of([1.0, 1.0, 1.0, 1.0], 2) == 2.0


def test_cell_seconds_split_into_phases(raw_dir):
    doc = json.loads((raw_dir / "tf18.json").read_text())
    doc["cells"][0]["duration"] = 3.0
    doc["cells"][0]["timings"] = {"gradients": 0.5, "breakpoint": 0.25, "numeric": 1.25}
    (raw_dir / "tf18.json").write_text(json.dumps(doc))
    got = bench.cell_seconds(raw_dir)
    assert set(got["cells"]) == {"tf18", "tf19", "tf115", "tf221"}
    tf18 = sum(c["duration"] for c in doc["cells"])
    assert sum(got["cells"]["tf18"].values()) == pytest.approx(tf18)
    first = "{}[{}]".format(doc["cells"][0]["case"], doc["cells"][0]["variant_label"])
    assert got["cells"]["tf18"][first] == 3.0
    # Laps of the one timed cell, the rest of every cell's time counts as build.
    assert got["phases"]["numeric"] == 1.25 and got["phases"]["breakpoint"] == 0.25
    assert got["phases"]["build"] + 0.5 + 0.25 + 1.25 == pytest.approx(got["cell_total_s"])


def test_text_output_of_the_recorded_run_names_the_three_ratios(capsys):
    result = json.loads((ROOT / "docs" / "benchmarks.json").read_text())
    for key in ("warm_over_floor", "cold_over_bare_uv", "virtualenv_pip_over_ours"):
        assert isinstance(result[key], float)
    bench.print_text(result)
    out = capsys.readouterr().out
    assert f"warm / floor (seed default matrix, -p {result['best_parallel_warm']}): " \
           f"{result['warm_over_floor']:.2f}" in out
    assert f"cold / bare uv: {result['cold_over_bare_uv']:.2f}" in out
    assert f"virtualenv+pip / ours: {result['virtualenv_pip_over_ours']:.2f}" in out


def test_only_cold_prints_no_warm_figures(capsys):
    result = json.loads((ROOT / "docs" / "benchmarks.json").read_text())
    cold = {k: v for k, v in result.items() if not k.startswith(("warm", "import", "floor", "per_case"))
            and k != "best_parallel_warm"}
    bench.print_text(cold)
    out = capsys.readouterr().out
    assert "cold / bare uv" in out and "warm" not in out


# --- The work floor (issue 17, item 3): ratios, keys, parsing ---------------------------------

FLOOR_SECONDS = {"work_floor": 20.0, "seed_symbolic": 50.0, "seed_full": 60.0,
                 "every_case_first": 90.0, "every_case_unchanged": 12.0, "tox_noop": 8.0,
                 "one_new_case": 30.0, "one_new_case_floor": 15.0}


def test_floor_ratios_divide_each_run_by_its_own_floor():
    got = bench.floor_ratios(FLOOR_SECONDS)
    assert got == {"symbolic_over_work_floor": 2.5, "full_over_work_floor": 3.0,
                   "unchanged_over_tox_noop": 1.5, "one_new_case_over_floor": 2.0}


def test_floor_ratios_of_parts_not_measured_are_none():
    got = bench.floor_ratios({"work_floor": 20.0, "seed_full": 60.0, "tox_noop": 0.0,
                              "every_case_unchanged": 3.0})
    assert got["full_over_work_floor"] == 3.0
    assert got["symbolic_over_work_floor"] is None and got["one_new_case_over_floor"] is None
    assert got["unchanged_over_tox_noop"] is None  # a zero denominator is no ratio


def test_runner_rerun_detected_from_help_or_source():
    assert bench.runner_has_rerun("  --rerun   recompute every cell, cached or not\n")
    assert bench.runner_has_rerun('p.add_argument("--rerun", action="store_true")')
    assert not bench.runner_has_rerun("  --no-rerun-x\n  --out DIR\n")
    assert not bench.runner_has_rerun("--no-rerun")
    # Today's runner (this checkout): whatever it says, the answer is a bool from its own --help.
    assert isinstance(bench.runner_has_rerun(), bool)


def test_imports_per_env_reads_the_workers_of_each_raw_file(raw_dir):
    got = bench.imports_per_env(raw_dir)
    assert set(got) == {"tf18", "tf19", "tf115", "tf221"}
    assert got["tf18"]["major"] == 1 and got["tf221"]["major"] == 2
    for name in got:
        doc = json.loads((raw_dir / f"{name}.json").read_text())
        assert got[name]["imports"] == doc["run"]["workers"]
    assert bench.mean_imports_2x(got) == got["tf221"]["imports"]


def test_imports_per_env_prefers_an_explicit_import_count_and_knows_the_nightly(raw_dir):
    doc = json.loads((raw_dir / "tf221.json").read_text())
    doc["run"]["tf_imports"] = 1
    doc["env_name"] = "tfnightly"
    doc["env"]["tf_version"] = ""  # the runner died before the worker's hello
    (raw_dir / "tf221.json").write_text(json.dumps(doc))
    got = bench.imports_per_env(raw_dir)
    assert got["tfnightly"] == {"imports": 1, "major": 2}
    assert bench.mean_imports_2x(got) == 1.0
    assert bench.mean_imports_2x({k: v for k, v in got.items() if v["major"] == 1}) is None


def test_workdir_args_only_for_another_work_dir():
    assert bench.workdir_args(ROOT / ".tox") == []
    assert bench.workdir_args(Path("/elsewhere/.tox")) == ["--workdir", "/elsewhere/.tox"]


def test_floor_keys_and_text_output(capsys):
    result = {"machine": {"cores": 2}, "work_floor_s": 20.0, **bench.floor_ratios(FLOOR_SECONDS),
              "every_case_imports_per_env": 2.0,
              "floor": {"envs": ["tf115", "tf221"], "parallel": 2, "session": True,
                        "runner_has_rerun": False, "runs_s": FLOOR_SECONDS}}
    assert set(bench.FLOOR_KEYS) <= set(result)
    json.dumps(result)
    bench.print_text(result)
    out = capsys.readouterr().out
    assert "work floor (import + build + tf.gradients, one evaluation per seed cell, 2 envs" in out
    assert "symbolic_over_work_floor: 2.50 (seed_symbolic 50.0 s / work_floor 20.0 s)" in out
    assert "unchanged_over_tox_noop: 1.50" in out and "one_new_case_over_floor: 2.00" in out
    assert "every_case_imports_per_env (TensorFlow imports per 2.x environment, every case): 2" in out
    assert "warm" not in out


def test_work_floor_plan_is_the_runners_default_plan():
    """The floor script's cells are exactly the cells `python -m harness run` plans."""
    from harness.inside.sources import cases as caselib
    spec = importlib.util.spec_from_file_location("work_floor", ROOT / "bench" / "work_floor.py")
    floor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(floor)
    for name, path in floor.case_files(str(ROOT / "cases"), []):
        axes, mode = floor.read_spec(path)
        ours = caselib.inspect(path)
        assert mode == ours.mode
        for all_variants in (False, True):
            assert floor.variants(axes, all_variants) == ours.variants(all_variants)
    seed = floor.case_files(str(ROOT / "cases"), ["seed_conv_bn_gru"])
    assert [n for n, _ in seed] == ["seed_conv_bn_gru"]
    assert len(floor.variants(floor.read_spec(seed[0][1])[0])) == 6


@pytest.mark.integration
def test_work_floor_runs_the_seed_in_a_real_environment(tmp_path):
    """The floor script in the tf221 environment: every seed cell built and differentiated."""
    import os
    import subprocess
    from tests.conftest import tox
    tox("run", "-e", "tf221", "--notest")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_USE_LEGACY_KERAS": "1"}
    for extra in ([], ["--session"]):
        proc = subprocess.run([str(ROOT / ".tox" / "tf221" / "bin" / "python"),
                               str(ROOT / "bench" / "work_floor.py"), "--case", "seed_conv_bn_gru",
                               *extra], cwd=ROOT, capture_output=True, text=True, env=env,
                              timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        doc = json.loads(proc.stdout.strip().splitlines()[-1])
        assert doc["session"] == bool(extra)
        assert [c["status"] for c in doc["cells"]] == ["ok"] * 6
        assert all(c["gradients_calls"] == 2 for c in doc["cells"])


def test_cell_seconds_counts_each_environments_imports(raw_dir):
    doc = json.loads((raw_dir / "tf221.json").read_text())
    doc["run"]["workers"] = 2
    (raw_dir / "tf221.json").write_text(json.dumps(doc))
    got = bench.cell_seconds(raw_dir)["imports"]
    assert got == {"tf18": 1, "tf19": 1, "tf115": 1, "tf221": 2}
