"""The benchmark's arithmetic on recorded raw files (the benchmark itself is not a test)."""
import importlib.util
import json

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


def test_cell_seconds_counts_each_environments_imports(raw_dir):
    doc = json.loads((raw_dir / "tf221.json").read_text())
    doc["run"]["workers"] = 2
    (raw_dir / "tf221.json").write_text(json.dumps(doc))
    got = bench.cell_seconds(raw_dir)["imports"]
    assert got == {"tf18": 1, "tf19": 1, "tf115": 1, "tf221": 2}
