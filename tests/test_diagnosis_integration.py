"""Numeric check, break points, the control flow axis and eager cases on real TF 1.8, 1.9 and 2.16."""
import json

import pytest

from tests.conftest import ROOT
from tests.test_integration import tox
from tests.test_load import CONV_BN

pytestmark = pytest.mark.integration
ENVS = ("tf18", "tf19", "tf216")
SEED_DEFAULT = "batch=None,input=cond,cell=gru,seq_len=inputs,control_flow=v1"
SEED_V2 = "batch=None,input=cond,cell=gru,seq_len=inputs,control_flow=v2"


def cells(raw_file):
    doc = json.loads(raw_file.read_text())
    return {(c["case"], c["variant_label"]): c for c in doc["cells"]}


def pairs(cell):
    return {(p["target"], p["source"]): p for p in cell["pairs"]}


@pytest.fixture(scope="module")
def diag_raw(tmp_path_factory):
    raw = tmp_path_factory.mktemp("diag")
    tox("run-parallel", "-p", "2", "-e", ",".join(ENVS), "--",
        "--cases", str(ROOT / "tests" / "cases_diag"), "--out", str(raw))
    return raw


@pytest.fixture(scope="module")
def seed_raw(tmp_path_factory):
    raw = tmp_path_factory.mktemp("seed")
    tox("run-parallel", "-p", "2", "-e", "tf18,tf216", "--", "--case", "seed_conv_bn_gru",
        "keras_conv_bn_gru", "--out", str(raw))
    return raw


@pytest.mark.parametrize("env", ENVS)
def test_hand_checked_gradients(diag_raw, env):
    got = pairs(cells(diag_raw / f"{env}.json")[("custom_grads", "")])
    assert {t: p["status"] for (t, _), p in got.items()} == {
        "right": "grad", "doubled": "mismatch", "zeroed": "zero", "relu_off": "grad"}
    # dy/dw = x * x: TensorFlow's own gradient agrees; the doubled one is off by exactly 1/2.
    assert got[("right", "w")]["numeric"]["rel_error"] < 1e-3
    assert got[("doubled", "w")]["numeric"]["rel_error"] == pytest.approx(0.5, abs=1e-3)
    assert "relative error 0.5 > 0.0001" in got[("doubled", "w")]["detail"]
    # in gradient terms: TensorFlow's d doubled / d w next to per-element central differences,
    # at the case's own w = ones (float32 central differences through sqrt: within 1e-3 of x * x)
    for target, head in (("doubled", "TensorFlow [2, 8, 18], finite differences ["),
                         ("zeroed", "gradient is all zero; TensorFlow [0, 0, 0], finite "
                                    "differences [")):
        detail = got[(target, "w")]["detail"]
        assert detail.startswith(head), detail
        fd = [float(v) for v in detail[len(head):].split("]", 1)[0].split(",")]
        assert fd == pytest.approx([1.0, 4.0, 9.0], rel=1e-3), detail
        assert got[(target, "w")]["point"] == "case"
    assert got[("zeroed", "w")]["numeric"]["analytic"] == 0.0
    assert abs(got[("zeroed", "w")]["numeric"]["finite_difference"]) > 1.0
    # relu of a negative number: zero, and the finite difference agrees.
    assert got[("relu_off", "w")]["numeric"]["finite_difference"] == 0.0


@pytest.mark.parametrize("env", ENVS)
def test_stop_gradient_is_the_break(diag_raw, env):
    pair = pairs(cells(diag_raw / f"{env}.json")[("stopped", "")])[("y", "w")]
    assert (pair["status"], pair["break_op"], pair["break_type"]) == ("none", "blocker",
                                                                      "StopGradient")


def test_seed_on_1_8_names_the_op_where_backprop_stops(seed_raw):
    got = pairs(cells(seed_raw / "tf18.json")[("seed_conv_bn_gru", SEED_DEFAULT)])
    for source in CONV_BN:
        pair = got[("new_state", source)]
        assert pair["status"] == "none"
        assert pair["break_type"] == "TensorArrayScatterV3"
        assert "rnn_model/rnn/transpose:0" in pair["detail"]
        assert "gradients list should have been aggregated" in pair["detail"]
    assert got[("new_state", "output/dense/kernel")]["detail"] == (
        "no forward path from source to target")
    checked = [p for p in got.values() if p["status"] != "none"]
    assert {p["status"] for p in checked} == {"grad"} and all(
        p["numeric"]["checked"] for p in checked)


def test_control_flow_axis(seed_raw):
    assert cells(seed_raw / "tf18.json")[("seed_conv_bn_gru", SEED_V2)]["status"] == "skipped"
    v2 = cells(seed_raw / "tf216.json")[("seed_conv_bn_gru", SEED_V2)]
    assert v2["status"] == "ok"
    assert {p["status"] for (t, s), p in pairs(v2).items() if s in CONV_BN} == {"grad"}


def test_eager_case_runs_on_2_x_and_is_skipped_on_1_x(seed_raw):
    skipped = cells(seed_raw / "tf18.json")[("keras_conv_bn_gru", "")]
    assert skipped["status"] == "skipped" and "1.x" in skipped["detail"]
    doc = json.loads((seed_raw / "tf216.json").read_text())
    # graph cells and eager cells share a worker, one import per Keras line (tf-keras, Keras 3)
    assert doc["run"]["workers"] == 2
    got = pairs(cells(seed_raw / "tf216.json")[("keras_conv_bn_gru", "")])
    assert len(got) == 14 and {p["status"] for p in got.values()} == {"grad"}
    assert all(p["numeric"]["checked"] for p in got.values())


def test_keras_cases_run_on_the_keras_3_line_from_2_16(seed_raw):
    """From 2.16 a case that uses Keras runs with tf-keras and, in a worker of its own, with Keras 3
    (variant pair keras=3); the seed's TF1 layers are unavailable there, in one cell per variant."""
    assert not any("keras=3" in label for _, label in cells(seed_raw / "tf18.json"))
    doc = json.loads((seed_raw / "tf216.json").read_text())
    assert doc["env"]["keras"]["tf.keras"].startswith("tf_keras 2.16")
    assert doc["env"]["keras3"]["tf.keras"].startswith("keras 3.")
    assert doc["env"]["keras3"]["TF_USE_LEGACY_KERAS"] == "0"
    got = cells(seed_raw / "tf216.json")
    k3 = pairs(got[("keras_conv_bn_gru", "keras=3")])
    assert len(k3) == 14 and {p["status"] for p in k3.values()} == {"grad"}
    assert all(p["numeric"]["checked"] for p in k3.values())
    seed = got[("seed_conv_bn_gru", SEED_DEFAULT + ",keras=3")]
    assert seed["status"] == "unavailable" and seed["pairs"] == []
    assert seed["detail"].startswith("conv1d of Keras 2 not in this release: build() raised ")


def test_switches_turn_both_off(tmp_path):
    tox("run", "-e", "tf18", "--", "--cases", str(ROOT / "tests" / "cases_diag"),
        "--no-numeric", "--no-breakpoint", "--out", str(tmp_path))
    got = cells(tmp_path / "tf18.json")
    statuses = {p["status"] for c in got.values() for p in c["pairs"]}
    assert statuses == {"grad", "none"}
    assert not any("numeric" in p or "break_op" in p for c in got.values() for p in c["pairs"])


# The numeric check feeds r into the grad_ys tensors of the case's own tf.gradients calls (no
# second gradient graph). This probe builds the seed graph as the worker does and reports, per
# target, how many present gradients the recorder can reuse and how many it cannot.
PROBE = """
import importlib.util, json
from harness.inside import tfapi
from harness.inside.judging import evaluators
tf, api = tfapi.load()
spec = importlib.util.spec_from_file_location("case", "cases/seed_conv_bn_gru.py")
case = importlib.util.module_from_spec(spec)
spec.loader.exec_module(case)
out = {}
with api.Graph().as_default() as graph:
    built = case.build(api)
    sources = [v for v in api.trainable_variables()]
    for name, target in built["targets"].items():
        recorder = evaluators.GradientRecorder(api, graph)
        grads = recorder(tfapi.flatten(target), sources)
        present = [s for s, g in zip(sources, grads) if g is not None]
        out[name] = [len(present), sum(recorder.lookup(s) is not None for s in present)]
print("PROBE " + json.dumps(out))
"""


@pytest.mark.parametrize("env", ENVS)
def test_numeric_check_reuses_the_cases_gradient_graph(env):
    proc = tox("exec", "-e", env, "--", "python", "-c", PROBE)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("PROBE ")][-1]
    got = json.loads(line[len("PROBE "):])
    assert set(got) == {"output", "new_state"}
    for present, reused in got.values():
        assert present > 0 and reused == present


def test_numeric_values_repeat_exactly_across_runs(seed_raw, tmp_path):
    # tf-keras (TF >= 2.16) seeds unseeded initialisers from Python's random module: the worker
    # seeds it too, or two runs of the same cell start from different weights.
    tox("run", "-e", "tf216", "--", "--case", "seed_conv_bn_gru", "keras_conv_bn_gru",
        "--out", str(tmp_path))
    first, again = cells(seed_raw / "tf216.json"), cells(tmp_path / "tf216.json")
    assert first.keys() == again.keys()
    checked = 0
    for key, cell in first.items():
        for pair_key, pair in pairs(cell).items():
            other = pairs(again[key])[pair_key]
            assert other["status"] == pair["status"], (key, pair_key)
            if pair.get("numeric", {}).get("checked"):
                checked += 1
                for field in ("analytic", "finite_difference"):
                    assert other["numeric"][field] == pair["numeric"][field], (key, pair_key, field)
    assert checked > 50


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize(("cause", "op", "op_type"), [("int_cast", "back", "Cast"),
                                                      ("argmax", "index", "Cast"),
                                                      ("round", "rounded", "Round")])
def test_planted_causes_of_a_none_name_their_break_op(diag_raw, env, cause, op, op_type):
    """Issue 25: an integer round trip read 'no tensor on the path receives a gradient'."""
    pair = pairs(cells(diag_raw / f"{env}.json")[("blocked", f"cause={cause}")])[("y", "w")]
    assert (pair["status"], pair["break_op"], pair["break_type"]) == ("none", op, op_type), pair
