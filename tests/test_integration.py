"""Real TensorFlow in real tox environments: TF 1.8, 1.9 and 2.16 (uv's cache makes reruns fast)."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT, tox
from tests.test_load import CONV_BN, SEED_VARIANT

pytestmark = pytest.mark.integration
GRU = ["rnn_model/rnn/gru_cell/gates/kernel", "rnn_model/rnn/gru_cell/gates/bias",
       "rnn_model/rnn/gru_cell/candidate/kernel", "rnn_model/rnn/gru_cell/candidate/bias"]
DENSE = ["output/dense/kernel", "output/dense/bias"]
LIVE_SEED = SEED_VARIANT + ",control_flow=v1"  # the frozen files predate the control_flow axis


def statuses(raw_file, variant=LIVE_SEED):
    doc = json.loads(raw_file.read_text())
    cell = next(c for c in doc["cells"] if c["variant_label"] == variant)
    return {(p["target"], p["source"]): p["status"] for p in cell["pairs"]}, doc


def test_tf18_loses_conv_and_bn_gradients_of_new_state(seed_raw):
    got, doc = statuses(seed_raw / "tf18.json")
    assert doc["env"]["tf_version"] == "1.8.0" and doc["env"]["python_version"].startswith("3.6")
    assert [got[("new_state", s)] for s in CONV_BN] == ["none"] * 4
    assert [got[("new_state", s)] for s in GRU] == ["grad"] * 4
    assert [got[("new_state", s)] for s in DENSE] == ["none"] * 2
    assert {got[("output", s)] for s in CONV_BN + GRU + DENSE} == {"grad"}


def test_tf19_fixes_it(seed_raw):
    got, doc = statuses(seed_raw / "tf19.json")
    assert doc["env"]["tf_version"] == "1.9.0"
    assert [got[("new_state", s)] for s in CONV_BN + GRU] == ["grad"] * 8
    assert {got[("output", s)] for s in CONV_BN + GRU + DENSE} == {"grad"}


def test_tf216_builds_the_seed_case_with_legacy_keras(seed_raw):
    got, doc = statuses(seed_raw / "tf216.json")
    assert doc["env"]["tf_version"].startswith("2.16.")
    assert "tf-keras" in doc["env"]["packages"]
    assert [got[("new_state", s)] for s in CONV_BN + GRU] == ["grad"] * 8
    assert [got[("new_state", s)] for s in DENSE] == ["none"] * 2


def test_one_tf_import_on_1_x_and_every_default_variant(seed_raw):
    doc = json.loads((seed_raw / "tf18.json").read_text())
    # cases/ holds graph cases and one eager case (keras_conv_bn_gru): one worker for the graph
    # cells; on 1.x the eager cells are skipped without importing TensorFlow a second time
    assert doc["complete"] and doc["run"]["workers"] == 1
    assert [c["variant_label"] for c in doc["cells"] if c["case"] == "seed_conv_bn_gru"] == [
        LIVE_SEED, "batch=34,input=cond,cell=gru,seq_len=inputs,control_flow=v1",
        "batch=None,input=direct,cell=gru,seq_len=inputs,control_flow=v1",
        "batch=None,input=cond,cell=lstm,seq_len=inputs,control_flow=v1",
        "batch=None,input=cond,cell=gru,seq_len=none,control_flow=v1",
        "batch=None,input=cond,cell=gru,seq_len=inputs,control_flow=v2"]


def test_report_of_real_results_shows_the_1_9_transition(seed_raw, tmp_path):
    tox("run", "-e", "report", "--", "--raw", str(seed_raw), "--out", str(tmp_path))
    trans = pd.read_csv(tmp_path / "transitions.csv")
    seed = trans[(trans["variant"] == LIVE_SEED) & (trans["target"] == "new_state")]
    assert sorted(seed["source"]) == sorted(CONV_BN)
    assert set(seed["first_new"]) == {"1.9.0"} and set(seed["last_old"]) == {"1.8.0"}


def test_foreign_case_dir_with_explicit_sources_through_tox(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    tox("run", "-e", "tf18,tf19", "--", "--cases", str(ROOT / "tests" / "cases_explicit"),
        "--out", str(raw))
    tox("run", "-e", "report", "--", "--raw", str(raw), "--out", str(out))
    grads = pd.read_csv(out / "gradients.csv", keep_default_na=False)
    assert set(grads["case"]) == {"scaled_square"}
    got = {(r.tf_version, r.target, r.source): r.status for r in grads.itertuples()}
    for version in ("1.8.0", "1.9.0"):
        assert got[(version, "y", "x")] == "grad" and got[(version, "y", "w")] == "grad"
        assert got[(version, "blocked", "w")] == "none" and got[(version, "blocked", "x")] == "grad"
        assert got[(version, "counted", "x")] == "none"


def test_broken_cases_are_isolated_and_healthy_ones_survive(tmp_path):
    tox("run", "-e", "tf18", "--notest")
    proc = tox("run", "-e", "tf18", "--", "--cases", str(ROOT / "tests" / "cases_bad"),
               "--out", str(tmp_path), "--timeout", "10", check=False)
    assert proc.returncode != 0, "failed cells must show in the exit status"
    doc = json.loads((tmp_path / "tf18.json").read_text())
    cells = {c["case"]: c for c in doc["cells"]}
    got = {name: c["status"] for name, c in cells.items()}
    assert got == {"a_healthy": "ok", "b_abort": "crash", "c_sleep": "timeout",
                   "d_syntax": "error", "e_raise": "error", "f_exit": "crash",
                   "g_no_targets": "error", "z_healthy": "ok"}
    assert "SIGABRT" in cells["b_abort"]["detail"]
    assert "exited with code 7" in cells["f_exit"]["detail"]
    assert "SyntaxError" in cells["d_syntax"]["detail"]
    assert "RuntimeError" in cells["e_raise"]["detail"] and "e_raise.py:2" in cells["e_raise"]["detail"]
    assert "returned no 'targets'" in cells["g_no_targets"]["detail"]
    assert [p["status"] for p in cells["a_healthy"]["pairs"]] == ["grad"]
    assert [(p["source"], p["status"]) for p in cells["z_healthy"]["pairs"]] == [
        ("w", "grad"), ("v", "none")]
    # one worker, plus one restart after each crash or timeout
    assert doc["run"]["workers"] == 4 and doc["complete"]


def test_unknown_case_name_is_one_line_and_nothing_runs(tmp_path):
    tox("run", "-e", "tf18", "--notest")
    proc = subprocess.run([str(ROOT / ".tox" / "tf18" / "bin" / "python"), "-m", "harness", "run",
                           "--case", "nosuch", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "harness: unknown case 'nosuch' in cases "
        "(cases: keras_conv_bn_gru, minimal_rnn_trigger, seed_conv_bn_gru)"]
    assert not list(tmp_path.iterdir())


def test_case_runs_alone_as_the_minimal_repro():
    tox("run", "-e", "tf18,tf19", "--notest")
    out = {}
    for env in ("tf18", "tf19"):
        proc = subprocess.run([str(ROOT / ".tox" / env / "bin" / "python"),
                               "cases/seed_conv_bn_gru.py"], cwd=ROOT, capture_output=True,
                              text=True, env={"TF_CPP_MIN_LOG_LEVEL": "2", "PATH": "/usr/bin:/bin"})
        assert proc.returncode == 0, proc.stderr[-2000:]
        out[env] = proc.stdout
    assert "d new_state / d layer_cell/conv1d/kernel:0: None" in out["tf18"]
    assert "d new_state / d layer_cell/conv1d/kernel:0: gradient" in out["tf19"]
    assert "d output / d layer_cell/conv1d/kernel:0: None" not in out["tf18"]
