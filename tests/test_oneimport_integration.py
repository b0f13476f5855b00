"""One TensorFlow import per environment: graph and eager cells in one worker on real TF 2.x."""
import json
import shutil

import pytest

from tests.conftest import ROOT, tox

pytestmark = pytest.mark.integration
ENVS = ["tf216", "tf221"]  # tf-keras (Keras 3 era) and the newest release
SEED_V2 = "batch=None,input=cond,cell=gru,seq_len=inputs,control_flow=v2"


def run(env, cases_dir, out, *args):
    tox("run", "-e", env, "--", "--cases", str(cases_dir), "--out", str(out), *args)
    return json.loads((out / (env + ".json")).read_text())


@pytest.mark.parametrize("env", ENVS)
def test_graph_and_eager_cases_share_one_worker(env, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("seed_conv_bn_gru.py", "keras_conv_bn_gru.py"):
        shutil.copy(ROOT / "cases" / name, cases / name)
    # the environment's Keras only: the Keras 3 line has a worker of its own (test_diagnosis_...)
    doc = run(env, cases, tmp_path / "raw", "--no-numeric", "--no-keras3")
    assert doc["complete"] and doc["run"]["workers"] == 1
    got = dict(((c["case"], c["variant_label"]), c) for c in doc["cells"])
    # the raw file lists cells in the runner's plan order (cases by name), whichever ran first
    assert [c["case"] for c in doc["cells"]] == ["keras_conv_bn_gru"] + ["seed_conv_bn_gru"] * 6
    assert {c["status"] for c in doc["cells"]} == {"ok"}
    for cell in doc["cells"]:
        if cell["case"] == "seed_conv_bn_gru":  # every conv/bn/GRU gradient of new_state on 2.x
            statuses = [p["status"] for p in cell["pairs"] if p["target"] == "new_state"
                        and not p["source"].startswith("output/")]
            assert statuses and set(statuses) == {"grad"}, cell["variant_label"]
    eager = got[("keras_conv_bn_gru", "")]
    assert len(eager["pairs"]) == 14 and {p["status"] for p in eager["pairs"]} == {"grad"}
    assert got[("seed_conv_bn_gru", SEED_V2)]["status"] == "ok"


@pytest.mark.parametrize("env", ENVS)
def test_process_wide_switches_do_not_outlive_their_cell(env, tmp_path):
    # a_flip_switches turns resource variables, TensorShape v2, tensor equality, control flow v2
    # and eager execution off in its cell, a_import_switches calls disable_v2_behavior() at import
    # (and fails unless it holds in its own cell); the graph and the eager case after them fail if
    # they see one off.
    doc = run(env, ROOT / "tests" / "cases_oneimport", tmp_path, "--no-keras3")
    assert doc["run"]["workers"] == 1
    got = dict((c["case"], c) for c in doc["cells"])
    assert {name: c["status"] for name, c in got.items()} == {
        "a_flip_switches": "ok", "a_import_switches": "ok", "b_graph_defaults": "ok",
        "c_eager_defaults": "ok"}, [
        c["detail"] for c in doc["cells"]]
    for cell in got.values():
        assert [p["status"] for p in cell["pairs"]] == ["grad"] * len(cell["pairs"]), cell["case"]
        assert all(p["numeric"]["checked"] for p in cell["pairs"]), cell["case"]
