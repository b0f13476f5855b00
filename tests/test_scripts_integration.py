"""Script mode on real TensorFlow: the seed question's script, verbatim, through --script on tf18,
tf19 and tf221 gives the 1.8.0 -> 1.9.0 finding for the conv and batch-norm variables of new_state,
its call named by its source text; an eager Keras script is `grad` and checked; a planted wrong
custom gradient in a script is `mismatch`; a script that raises, calls no gradient or loops forever
is one line each."""
import csv
import subprocess

import pytest

from tests.conftest import ROOT, TOX_WORKDIR, cells, harness, pairs, tox

pytestmark = pytest.mark.integration
SCRIPTS = ROOT / "tests" / "scripts"
CALL = "new_state @ line 66"
CONV_BN = ["layer_cell/conv1d/kernel", "layer_cell/conv1d/bias", "layer_cell/bn/gamma",
           "layer_cell/bn/beta"]
GRU = ["lstm_model/rnn/gru_cell/gates/kernel", "lstm_model/rnn/gru_cell/gates/bias",
       "lstm_model/rnn/gru_cell/candidate/kernel", "lstm_model/rnn/gru_cell/candidate/bias"]


@pytest.fixture(scope="module")
def seed_script(tmp_path_factory):
    raw = tmp_path_factory.mktemp("script") / "raw"
    tox("run-parallel", "-p", "2", "-e", "tf18,tf19,tf221", "--", "--script",
        str(SCRIPTS / "seed_question.py"), "--out", str(raw))
    harness("report", "--raw", str(raw), "--out", str(raw.parent), "--no-plots")
    return raw


def test_the_verbatim_seed_script_gives_none_to_grad_at_1_9_for_conv_and_bn(seed_script):
    with open(seed_script.parent / "transitions.csv") as fh:
        rows = [r for r in csv.DictReader(fh) if r["case"] == "seed_question"]
    changed = sorted(r["source"] for r in rows if r["target"] == CALL and r["old_status"] == "none"
                     and r["new_status"] == "grad" and r["first_new"] == "1.9.0")
    assert changed == sorted(CONV_BN), rows
    report = (seed_script.parent / "report.md").read_text()
    assert f"d `{CALL}`" in report and "`grad` from **1.9.0**" in report
    assert "bisect --script tests/scripts/seed_question.py" in report and "--cases" not in report


@pytest.mark.parametrize("env", ["tf18", "tf19", "tf221"])
def test_the_gru_variables_of_new_state_are_grad_and_dense_has_no_path(seed_script, env):
    got = pairs(cells(seed_script, env)[("seed_question", "")])
    assert all(got[(CALL, s)]["status"] == "grad" for s in GRU)
    assert got[(CALL, "output/dense/kernel")]["status"] == "none"
    assert (got[(CALL, "layer_cell/bn/gamma")]["status"] == "none") == (env == "tf18")


def test_the_output_of_the_seed_script_has_every_gradient_before_the_dense_layer(tmp_path):
    """The question's other call: tf.gradients(output, ...) is complete on 1.8 already."""
    text = (SCRIPTS / "seed_question.py").read_text()
    mine = tmp_path / "seed_output.py"
    mine.write_text(text.replace("tf.gradients(new_state,", "tf.gradients(output,"))
    tox("-e", "tf18", "--", "--script", str(mine), "--out", str(tmp_path / "raw"))
    got = pairs(cells(tmp_path / "raw", "tf18")[("seed_output", "")])
    assert {s: got[("output @ line 66", s)]["status"] for s in CONV_BN + GRU} == dict.fromkeys(
        CONV_BN + GRU, "grad")


def run_script(name, tmp_path, *extra, env="tf221"):
    """The runner in a real environment (tf221 by default) as tox runs it, on one script."""
    proc = subprocess.run([str(TOX_WORKDIR / env / "bin" / "python"), "-m", "harness", "run",
                           "--script", str(SCRIPTS / f"{name}.py"), "--out", str(tmp_path),
                           "--env-name", env, *extra], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={"TF_USE_LEGACY_KERAS": "1",
                                                       "PATH": "/usr/bin:/bin",
                                                       "TF_CPP_MIN_LOG_LEVEL": "2"})
    return proc, cells(tmp_path, env)


@pytest.mark.parametrize("env", ["tf18", "tf221"])
def test_the_scripts_own_feed_dict_is_the_point_evaluated(tmp_path, env):
    proc, got = run_script("feeds_its_own", tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (pair,) = got[("feeds_its_own", "")]["pairs"]
    assert (pair["target"], pair["source"], pair["status"]) == ("loss @ line 9", "w", "grad")
    assert pair["value"]["values"] == [42.0, 56.0] and pair["numeric"]["checked"]


def test_an_eager_keras_script_is_grad_and_checked_on_both_keras_lines(tmp_path):
    proc, got = run_script("keras_tape", tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for label in ("", "keras=3"):
        cell = got[("keras_tape", label)]
        assert len(cell["pairs"]) == 4 and {p["target"] for p in cell["pairs"]} == {
            "loss @ line 20"}
        assert all(p["status"] == "grad" and p["numeric"]["checked"] for p in cell["pairs"])


def test_a_planted_wrong_gradient_in_a_script_is_a_mismatch(tmp_path):
    proc, got = run_script("wrong_custom_gradient", tmp_path)
    pair = got[("wrong_custom_gradient", "")]["pairs"]
    assert [(p["target"], p["source"], p["status"]) for p in pair] == [
        ("y @ line 16", "Variable", "mismatch")]


@pytest.mark.parametrize("name, status, line", [
    ("raises", "error", "the script raised ValueError: this script stops before any gradient "
                        "(raises.py:4)"),
    ("no_gradient", "error", "no_gradient.py: the script ran to its end without a gradient call"),
    ("loops_forever", "timeout", "ran past the timeout of 20 s")])
def test_a_script_without_a_gradient_is_one_clear_line(tmp_path, name, status, line):
    proc, got = run_script(name, tmp_path, "--timeout", "20")
    assert proc.returncode == 1
    assert got[(name, "")]["status"] == status and line in got[(name, "")]["detail"]
    said = [ln for ln in proc.stderr.splitlines() if f"tf221 {name} []:" in ln]
    assert len(said) == 1 and line in said[0], proc.stderr[-2000:]


def test_the_case_made_from_the_seed_script_gives_the_same_finding(tmp_path):
    mine = tmp_path / "mycases"
    harness("case-from-script", str(SCRIPTS / "seed_question.py"), "--out",
            str(mine / "seed_case.py"))
    tox("run-parallel", "-p", "2", "-e", "tf18,tf19", "--", "--cases", str(mine), "--out",
        str(tmp_path / "raw"))
    for env, conv_bn in (("tf18", "none"), ("tf19", "grad")):
        got = pairs(cells(tmp_path / "raw", env)[("seed_case", "")])
        assert {s: got[(CALL, s)]["status"] for s in CONV_BN} == dict.fromkeys(CONV_BN, conv_bn)
        assert all(got[(CALL, s)]["status"] == "grad" for s in GRU)
    standalone = subprocess.run([str(TOX_WORKDIR / "tf18" / "bin" / "python"),
                                 str(mine / "seed_case.py")], capture_output=True, text=True,
                                timeout=300)
    assert standalone.returncode == 0, standalone.stderr[-2000:]
    assert "d new_state @ line 66 / d layer_cell/conv1d/kernel:0: None" in standalone.stdout


def test_a_script_runs_in_any_release_of_the_index_too(tmp_path):
    """run-releases --script: a release outside tox.ini (its uv environment), the same cells."""
    harness("run-releases", "1.8.0", "--script", str(SCRIPTS / "seed_question.py"), "--out",
            str(tmp_path))
    got = pairs(cells(tmp_path, "rel-1.8.0")[("seed_question", "")])
    assert {s: got[(CALL, s)]["status"] for s in CONV_BN} == dict.fromkeys(CONV_BN, "none")
