"""The forward pass of an eager cell's finite differences on real TensorFlow (tests/cases_forward):
a Keras GRU runs traced (with Keras 3 and tf-keras on 2.21); compute() that branches on a tensor in
Python, or whose traced function computes something else (a planted fault), runs eagerly, and every
right gradient reads `grad` with a numeric verdict."""
import json

import pytest

from tests.conftest import ROOT, tox

pytestmark = pytest.mark.integration
ENVS = ("tf20", "tf221")


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    out = tmp_path_factory.mktemp("forward")
    tox("run-parallel", "-p", "2", "-e", ",".join(ENVS), "--", "--cases",
        str(ROOT / "tests" / "cases_forward"), "--out", str(out))
    return out


def cells(raw, env):
    doc = json.loads((raw / f"{env}.json").read_text())
    return {(c["case"], dict(c["variant"]).get("keras", "")): c for c in doc["cells"]}


@pytest.mark.parametrize("env", ENVS)
def test_each_forward_pass_is_chosen_for_its_reason_and_every_verdict_is_right(raw, env):
    got = cells(raw, env)
    keras_lines = ["", "3"] if env == "tf221" else [""]
    assert set(got) == {("keras_gru", k) for k in keras_lines} | {
        ("python_branch", ""), ("graph_differs", "")}
    for k in keras_lines:
        assert got[("keras_gru", k)]["values"]["forward"] == "traced"
    assert got[("python_branch", "")]["values"]["forward"].startswith(
        "eager: tracing compute() raised")
    assert got[("graph_differs", "")]["values"]["forward"].startswith(
        "eager: the traced compute() is")
    for cell in got.values():
        assert cell["status"] == "ok", cell
        for pair in cell["pairs"]:
            assert pair["status"] == "grad", (cell["case"], pair)
            assert pair["numeric"]["checked"], (cell["case"], pair)
            assert not pair["numeric"].get("inconclusive"), (cell["case"], pair)
