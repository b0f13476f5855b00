"""One real tf-nightly build: its uv environment (created once, then reused from the cache), the
runner there, the build's PEP 440 version and commit in the raw file, the report naming it."""
import json

import pytest

from harness.host.tables import nightly
from tests.conftest import ROOT, harness

pytestmark = pytest.mark.integration
# The newest build when this test was written; the README's bisection ran it. If the index ever
# drops its wheel, run-releases says install_failed and this test fails saying so.
BUILD = "2.23.0.dev20261026"


def run_nightly(raw):
    return harness("run-releases", BUILD, "--cases", str(ROOT / "cases" / "nightly"), "--case",
                   "isotonic_1d", "--out", str(raw)).stdout


def test_a_nightly_build_runs_in_its_cached_env_and_records_its_commit(tmp_path):
    raw = tmp_path / "raw"
    first = run_nightly(raw)
    assert first.splitlines()[0] == f"release 1 of 1: {BUILD}"
    assert f"{BUILD}: tf-nightly on python3.13 with tf-keras-nightly (pins of tfnightly)" in first
    doc = json.loads((raw / f"rel-{BUILD}.json").read_text())
    env = doc["env"]
    assert (env["tf_version"], env["tf_package"]) == (BUILD, "tf-nightly")
    assert env["packages"]["tf-nightly"] == BUILD and "tf-keras-nightly" in env["packages"]
    commit = nightly.commit_of(env["tf_git_version"])
    assert commit and len(commit) >= 7
    cell = next(c for c in doc["cells"] if c["variant_label"] == "rank=1d,decreasing=True")
    pair = next(p for p in cell["pairs"] if (p["target"], p["source"]) == ("y1", "t"))
    # the fix of PR #127550 is in this build: a gradient, and finite differences agree with it
    assert pair["status"] == "grad" and pair["numeric"]["checked"]

    again = run_nightly(raw)
    assert "(reused env)" in again

    out = tmp_path / "tables"
    harness("report", "--raw", str(raw), "--out", str(out))
    md = (out / "report.md").read_text()
    assert f"{BUILD}, nightly of 2026-10-26 (commit {commit})" in md
