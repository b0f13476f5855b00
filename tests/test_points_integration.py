"""The point evaluated, on real TensorFlow: variables keep the values the case chose, random ones
are seeded (and the report says so once per case), `values` names a point outright.

Before points.py every trainable variable was seeded: the zero vector of graph_initialisers and the
Constant kernel of keras_initialisers were moved, and the norm at zero read `grad`.
"""
import json

import pytest

from harness.host.reports import report
from tests.conftest import ROOT, cells, harness, pairs, run_cases

pytestmark = pytest.mark.integration
ENVS = ("tf18", "tf20", "tf23", "tf221")
EAGER_ENVS = ENVS[1:]


@pytest.fixture(scope="module")
def chosen_raw(tmp_path_factory):
    # bad_values is an error of the case: the runner exits 1
    return run_cases(tmp_path_factory.mktemp("chosen"), ENVS, ROOT / "tests" / "cases_chosen",
                     fails=True)


@pytest.mark.parametrize("env", ENVS)
def test_graph_variables_keep_chosen_values_random_ones_are_seeded(chosen_raw, env):
    cell = cells(chosen_raw, env)[("graph_initialisers", "")]
    got = pairs(cell)
    norm = got[("norm", "w")]  # tf.Variable([0, 0]): the norm's gradient is NaN there
    assert norm["status"] == "nonfinite" and norm["point"] == "case"
    assert norm["value"]["values"] == ["nan", "nan"]
    # d sum(ones @ k * c) / dk = c in every row: c kept its constant_initializer([2, -1])
    assert got[("prod", "k")]["value"]["values"] == [2.0, -1.0] * 3
    assert got[("prod", "c")]["point"] == "case"
    assert got[("vc", "c")]["status"] == "grad"
    assert got[("prod", "k")]["point"] == got[("vc", "v")]["point"] == "seeded"
    assert cell["values"]["seeded"] == {"k": "drawn by RandomUniform",
                                        "v": "drawn by RandomStandardNormal"}


@pytest.mark.parametrize("env", EAGER_ENVS)
def test_keras_constant_kernel_is_kept_glorot_kernel_is_seeded(chosen_raw, env):
    cell = cells(chosen_raw, env)[("keras_initialisers", "")]
    got = pairs(cell)
    assert got[("cy", "x")]["value"]["values"] == [0.5, 0.5, 0.5]  # Constant(0.5) kept
    assert got[("cy", "c/kernel")]["point"] == got[("y", "g/bias")]["point"] == "case"
    assert got[("y", "g/kernel")]["point"] == "seeded"
    assert list(cell["values"]["seeded"]) == ["g/kernel"]


@pytest.mark.parametrize("env", EAGER_ENVS)
def test_values_name_the_point_over_a_random_initial_value(chosen_raw, env):
    got = pairs(cells(chosen_raw, env)[("explicit_values", "")])
    assert got[("norm", "x")]["status"] == "nonfinite" and got[("norm", "x")]["point"] == "case"
    assert got[("square", "x")]["value"]["values"] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("env", ENVS)
def test_values_that_do_not_fit_are_one_line_errors_naming_the_source(chosen_raw, env):
    got = cells(chosen_raw, env)
    details = {v: got[("bad_values", f"fault={v}")]["detail"] for v in ("name", "shape", "tensor")}
    assert all(got[("bad_values", f"fault={v}")]["status"] == "error" for v in details)
    assert all("\n" not in d for d in details.values())
    assert "values: 'nosuch' is not a source of the case" in details["name"]
    assert "values: source 'w' has shape [2], the value has shape [3]" in details["shape"]
    assert "values: source 't' is a tensor" in details["tensor"]
    others = [c for key, c in got.items() if key[0] != "bad_values"]
    assert others and all(c["status"] in ("ok", "skipped") for c in others)  # the rest ran


def test_the_report_says_once_per_case_where_values_were_seeded(chosen_raw, tmp_path):
    tables = report.build(chosen_raw, envs=[])
    report.write(tables, tmp_path, plots=False)
    md = (tmp_path / "report.md").read_text()
    section = md.split("## Values the harness chose", 1)[1].split("##", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 2
    assert lines[0].startswith("- `graph_initialisers`: `k`, `v` have a random initial value")
    assert lines[1].startswith("- `keras_initialisers`: `g/kernel` has a random initial value")
    assert not any("explicit_values" in line for line in lines)
    assert "Values the harness chose" in (tmp_path / "report.html").read_text()


def test_releases_before_1_8_keep_chosen_values_too(tmp_path):
    """TF 1.2 - 1.7 graphs leave op.op_def empty: the op registry says which ops are stateful. The
    first version took every op there for a random one and seeded every variable, so values moved
    between 1.7.1 and 1.8.0 in results/extended (102 false value changes)."""
    harness("run-releases", "1.7.1", "--cases", str(ROOT / "tests" / "cases_chosen"), "--case",
            "graph_initialisers", "--out", str(tmp_path), timeout=1800)
    (cell,) = [c for c in json.loads((tmp_path / "rel-1.7.1.json").read_text())["cells"]]
    got = pairs(cell)
    assert got[("norm", "w")]["status"] == "nonfinite" and got[("norm", "w")]["point"] == "case"
    assert got[("prod", "k")]["value"]["values"] == [2.0, -1.0] * 3
    assert cell["values"]["seeded"] == {"k": "drawn by RandomUniform",
                                        "v": "drawn by RandomStandardNormal"}
