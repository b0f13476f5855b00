"""The standalone repro of a cell, run for real in the release's own environment."""
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.test_integration import CONV_BN, GRU

pytestmark = pytest.mark.integration


def repro_output(seed_raw, tmp_path, release, env):
    out = tmp_path / release
    subprocess.run([sys.executable, "-m", "harness", "repro", "--case", "seed_conv_bn_gru", "--tf",
                    release, "--raw", str(seed_raw), "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    proc = subprocess.run([str(ROOT / ".tox" / env / "bin" / "python"), "repro.py"], cwd=out,
                          capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dict(line.rsplit(": ", 1) for line in proc.stdout.splitlines()[1:])


def test_repro_prints_none_on_1_8_for_conv_and_bn(seed_raw, tmp_path):
    got = repro_output(seed_raw, tmp_path, "1.8", "tf18")
    assert [got[f"d new_state / d {s}"] for s in CONV_BN] == ["None"] * 4
    assert {got[f"d new_state / d {s}"] for s in GRU} == {"gradient float32"}


def test_repro_prints_no_none_for_conv_and_bn_on_1_9(seed_raw, tmp_path):
    got = repro_output(seed_raw, tmp_path, "1.9.0", "tf19")
    assert {got[f"d new_state / d {s}"] for s in CONV_BN + GRU} == {"gradient float32"}
    assert {v for k, v in got.items() if k.startswith("d output")} == {"gradient float32"}


@pytest.mark.parametrize("recorded", [False, True], ids=["fresh-clone", "recorded-run"])
def test_command_txt_runs_as_printed(recorded, seed_raw, tmp_path):
    """`sh command.txt` as the user gets it, with nothing of ours on PATH (no pyenv shims): it must
    build its own environment and reproduce the None of 1.8. Without recorded results (a fresh
    clone) the requirements are tox.ini's pins, and the script says so."""
    raw = seed_raw if recorded else tmp_path / "no-results"
    out = tmp_path / "out"
    made = subprocess.run([sys.executable, "-m", "harness", "repro", "--case", "seed_conv_bn_gru",
                           "--tf", "1.8", "--raw", str(raw), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    assert ("note: no recorded run" in made.stdout) != recorded
    proc = subprocess.run(["sh", "command.txt"], cwd=out, capture_output=True, text=True,
                          timeout=1200, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("TensorFlow 1.8.0")
    got = dict(line.rsplit(": ", 1) for line in lines[1:])
    assert [got[f"d new_state / d {s}"] for s in CONV_BN] == ["None"] * 4
    assert {got[f"d new_state / d {s}"] for s in GRU} == {"gradient float32"}
