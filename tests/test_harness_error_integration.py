"""On real TensorFlow: a failure planted in the harness's own code reads `harness_error` (whole
exception, harness frames), never `error` or `grad`; a Keras 3 model's variables are sources.

The planted faults replace a harness function inside a worker of a real environment (tf18, tf221):
the finite-difference check's maths returning nothing, so that the check raises in its own code
(grad pairs waiting for a verdict become harness_error; the nonfinite verdict reached before stays),
and the description of a gradient raising (the cell: nothing catches it on the way).
"""
import json
import subprocess

import pytest

from tests.conftest import ROOT, TOX_WORKDIR, tox

pytestmark = pytest.mark.integration
CASE = ROOT / "tests" / "cases_verdicts" / "nan_norm.py"
PLANT = """
import io, json, sys
sys.path.insert(0, {root!r})
from harness.inside import tfapi
from harness.inside.judging import fdmath
from harness.inside.running import worker

def planted(*args, **kwargs):
    raise KeyError("planted fault\\nits second line")

if {where!r} == "check":  # a bug in the check's maths: fdcheck iterates over None
    fdmath.pooled = lambda verdicts, tol: None
else:
    tfapi.describe_gradient = planted
out = io.BytesIO()
job = {{"cells": [{{"index": 0, "case": "nan_norm", "path": {case!r}, "variant": [],
                   "variant_label": "", "mode": "graph"}}], "options": {{}}}}
worker.Worker(out).serve(job)
cells = [json.loads(m) for m in out.getvalue().decode().splitlines()]
print(json.dumps([m["result"] for m in cells if m["type"] == "cell"][0]))
"""


def planted(env, where):
    python = TOX_WORKDIR / env / "bin" / "python"
    proc = subprocess.run([str(python), "-c", PLANT.format(root=str(ROOT), where=where,
                                                           case=str(CASE))],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("env", ["tf18", "tf221"])
def test_a_failing_check_is_harness_error_on_the_pairs_it_left_without_a_verdict(env):
    result = planted(env, "check")
    pairs = {(p["target"], p["source"]): p for p in result["pairs"]}
    assert result["status"] == "ok"
    assert pairs[("norm", "x")]["status"] == "nonfinite"  # reached before the check: stays
    square = pairs[("square", "x")]
    assert square["status"] == "harness_error"
    assert square["detail"].startswith("harness error evaluating: TypeError: ")
    assert "harness frames: " in square["detail"] and "harness/inside/judging/fdcheck.py" in \
        square["detail"]


@pytest.mark.parametrize("env", ["tf18", "tf221"])
def test_a_failure_outside_every_case_call_is_the_cells_harness_error(env):
    result = planted(env, "describe")
    assert result["status"] == "harness_error" and result["pairs"] == []
    assert result["detail"].startswith("harness error running the cell: KeyError: 'planted "
                                       "fault\\nits second line'")  # the whole message
    assert "harness/inside/running/worker.py" in result["detail"]


@pytest.mark.parametrize("legacy", ["0", "1"])
def test_a_keras_model_s_own_variables_are_sources_with_keras_3_and_tf_keras(legacy, tmp_path):
    # the environment's own Keras, switched by tox: no second line (--no-keras3)
    tox("-e", "tf221", "-x", f"testenv:tf221.set_env+=TF_USE_LEGACY_KERAS={legacy}", "--",
        "--cases", str(ROOT / "tests" / "cases_keras3"), "--out", str(tmp_path), "--rerun",
        "--no-keras3")
    doc = json.loads((tmp_path / "tf221.json").read_text())
    keras = doc["env"]["keras"]
    assert keras["TF_USE_LEGACY_KERAS"] == legacy
    assert keras["tf.keras"].startswith("keras 3." if legacy == "0" else "tf_keras 2.21")
    (cell,) = doc["cells"]
    assert cell["status"] == "ok"
    assert [p["status"] for p in cell["pairs"]] == ["grad"] * 6
    assert all(p["numeric"]["checked"] for p in cell["pairs"])
