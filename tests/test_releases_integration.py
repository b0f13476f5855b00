"""A real bisection over 1.8.0 - 1.10.1: real index, real uv environments (cached), real TensorFlow."""
import json

import pandas as pd
import pytest

from tests.conftest import harness

pytestmark = pytest.mark.integration
KERNEL = "layer_cell/conv1d/kernel"


def bisect(raw):
    proc = harness("bisect", "--case", "seed_conv_bn_gru", "--target", "new_state", "--source",
                   KERNEL, "--good", "1.10.1", "--bad", "1.8.0", "--out", str(raw), "--json")
    return json.loads(proc.stdout), proc.stderr


def test_bisect_finds_the_1_9_fix_and_reuses_its_results(tmp_path):
    raw = tmp_path / "raw"
    got, steps = bisect(raw)
    assert (got["last_old"], got["first_new"]) == ("1.8.0", "1.9.0")
    assert (got["old_status"], got["new_status"], got["direction"]) == ("none", "grad", "fixed")
    assert got["compare_url"] == "https://github.com/tensorflow/tensorflow/compare/v1.8.0...v1.9.0"
    assert sorted(t["version"] for t in got["tested"]) == ["1.10.1", "1.8.0", "1.9.0"]
    assert got["skipped"] == [] and "1.9.0" in steps
    assert sorted(p.name for p in raw.glob("*.json")) == [
        "rel-1.10.1.json", "rel-1.8.0.json", "rel-1.9.0.json"]

    again, steps = bisect(raw)
    assert again["first_new"] == "1.9.0"
    assert {t["result"] for t in again["tested"]} == {t["result"] for t in got["tested"]}
    assert steps.count("earlier result") == 3

    out = tmp_path / "tables"
    harness("report", "--raw", str(raw), "--out", str(out))
    grads = pd.read_csv(out / "gradients.csv", keep_default_na=False)
    assert {"1.8.0", "1.9.0", "1.10.1"} <= set(grads["tf_version"])
