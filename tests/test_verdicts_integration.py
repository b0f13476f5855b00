"""Verdicts on real TensorFlow 1.8 and 2.21: NaN gradients, missing APIs, random ops, bad feeds."""
import json
import re

import pytest

from harness.host.reports import report
from tests.conftest import ROOT, cells, pairs, run_cases, tox

pytestmark = pytest.mark.integration
ENVS = ("tf18", "tf221")


@pytest.fixture(scope="module")
def verdicts_raw(tmp_path_factory):
    # bad_feeds and missing_api[how=not_tensorflow] are errors of the case: the runner exits 1.
    return run_cases(tmp_path_factory.mktemp("verdicts"), ENVS, ROOT / "tests" / "cases_verdicts",
                     fails=True)


@pytest.mark.parametrize("env", ENVS)
def test_nan_gradient_is_nonfinite_never_grad(verdicts_raw, env):
    cell = cells(verdicts_raw, env)[("nan_norm", "")]
    got = pairs(cell)
    norm = got[("norm", "x")]
    assert norm["status"] == "nonfinite"
    assert norm["detail"].startswith("3 NaN, 0 Inf of 3 elements")
    assert "finite differences [0, 0, 0]" in norm["detail"]
    assert norm["value"]["values"] == ["nan", "nan", "nan"]
    assert got[("square", "x")]["status"] == "grad"
    assert got[("square", "x")]["value"]["values"] == [0.0, 0.0, 0.0]
    assert cell["values"]["deterministic"] is True
    assert cell["values"]["targets"]["as_int"] == {"why": "not a float tensor (int32)"}
    assert cell["values"]["targets"]["square"]["values"] == [0.0]


@pytest.mark.parametrize("env", ENVS)
def test_missing_api_is_unavailable_other_attribute_errors_stay_errors(verdicts_raw, env):
    got = cells(verdicts_raw, env)
    attr = got[("missing_api", "how=attribute")]
    assert attr["status"] == "unavailable"
    assert re.match(r"tensorflow(\.compat\.v1)?\.no_such_op_in_any_release not in this release",
                    attr["detail"]), attr["detail"]
    imp = got[("missing_api", "how=import")]
    assert imp["status"] == "unavailable"
    assert "no_such_module_in_any_release" in imp["detail"]
    other = got[("missing_api", "how=not_tensorflow")]
    assert other["status"] == "error" and "no_such_attribute" in other["detail"]


@pytest.mark.parametrize("env", ENVS)
def test_random_op_is_non_deterministic_never_a_mismatch(verdicts_raw, env):
    cell = cells(verdicts_raw, env)[("random_op", "")]
    pair = pairs(cell)[("y", "x")]
    assert cell["values"]["deterministic"] is False
    assert pair["status"] == "grad"
    assert pair["numeric"]["checked"] is False and "non-deterministic" in pair["numeric"]["why"]


@pytest.mark.parametrize("env", ENVS)
def test_feeds_that_do_not_fit_name_the_case_and_the_placeholder(verdicts_raw, env):
    cell = cells(verdicts_raw, env)[("bad_feeds", "")]
    assert cell["status"] == "error"
    assert cell["detail"] == ("bad_feeds: feeds: placeholder 'three_values' takes shape [3], the "
                              "value has shape [2]")


def test_report_separates_apis_from_behaviour_and_reports_no_random_value_change(verdicts_raw,
                                                                                 tmp_path):
    tables = report.build(verdicts_raw, envs=[])
    assert tables.value_changes.empty  # random_op differs run to run: never a value change
    md = (tmp_path / "report.md")
    report.write(tables, tmp_path, plots=False)
    text = md.read_text()
    assert "`nonfinite`" in text
    assert set(tables.matrix.loc["1.8.0"].dropna()) >= {"nonfinite", "unavailable", "grad"}


@pytest.mark.parametrize("env", ENVS)
def test_a_tie_is_a_kink_without_verdict_never_a_mismatch(verdicts_raw, env):
    pair = pairs(cells(verdicts_raw, env)[("tie_max", "")])[("y", "a")]
    assert pair["status"] == "grad"
    assert pair["numeric"]["inconclusive"] is True and "kink or tie" in pair["numeric"]["why"]


@pytest.mark.parametrize("env", ENVS)
def test_a_gradient_that_raises_when_evaluated_is_an_error(verdicts_raw, env):
    pair = pairs(cells(verdicts_raw, env)[("singular_det", "")])[("det", "a")]
    assert pair["status"] == "error"
    assert pair["detail"].startswith("evaluating the gradient raised InvalidArgumentError: Input "
                                     "is not invertible")


def test_a_gradient_missing_one_element_is_caught_element_by_element(verdicts_raw):
    old = pairs(cells(verdicts_raw, "tf18")[("missing_component", "")])[("y", "x")]
    assert old["status"] == "nonfinite"  # 1.x divides by the zero element
    new = pairs(cells(verdicts_raw, "tf221")[("missing_component", "")])[("y", "x")]
    assert new["status"] == "mismatch"
    assert new["detail"].startswith("TensorFlow [1, 0, 0], finite differences [1, 8")


def test_renamed_keras_variables_get_the_same_values_on_every_release(tmp_path):
    # TF 2.2 renamed the GRU's variables ('gru/kernel' -> 'gru/gru_cell/kernel'); values seeded by
    # the variable's name moved every gradient of the Keras case there: a false value change.
    tox("run-parallel", "-p", "2", "-e", "tf21,tf22", "--", "--case", "keras_conv_bn_gru",
        "--no-numeric", "--out", str(tmp_path))
    tables = report.build(tmp_path, envs=[])
    assert len(tables.fingerprints) == 2 * 16  # 14 gradients + 2 targets on each release
    assert tables.value_changes.empty, tables.value_changes.to_string()


def test_a_missing_api_alone_is_no_failure_of_the_run(tmp_path):
    # tf.nn.gelu does not exist in 1.8: the cell is unavailable and the runner exits 0 (tox checks)
    tox("-e", "tf18", "--", "--cases", str(ROOT / "cases" / "known"), "--case", "gelu_api",
        "--out", str(tmp_path))
    cell = json.loads((tmp_path / "tf18.json").read_text())["cells"][0]
    assert (cell["status"], cell["detail"].split(" not in")[0]) == ("unavailable",
                                                                   "tensorflow.nn.gelu")


@pytest.mark.parametrize("env", ENVS)
def test_a_source_downstream_of_another_is_no_longer_fed_once_checked(verdicts_raw, env):
    got = pairs(cells(verdicts_raw, env)[("upstream_source", "")])
    assert {k: p["status"] for k, p in got.items()} == {("y", "h"): "grad", ("y", "w"): "grad"}
    assert got[("y", "w")]["value"]["values"] == [3.0, 6.0, 9.0]
