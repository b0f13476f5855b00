import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# HARNESS_TOX_WORKDIR: reuse the tox environments of another checkout (e.g. a git worktree's main)
TOX_WORKDIR = Path(os.environ.get("HARNESS_TOX_WORKDIR") or ROOT / ".tox")


@pytest.fixture
def raw_dir(tmp_path):
    """A copy of the frozen raw files of a real run (tf18, tf19, tf115, tf221)."""
    dest = tmp_path / "raw"
    shutil.copytree(DATA / "raw", dest)
    return dest


def tox(*args, check=True):
    """Run tox of this checkout for real; fails the test with tox's output when it fails."""
    if os.environ.get("HARNESS_TOX_WORKDIR"):
        args = (*args[:1], "--workdir", str(TOX_WORKDIR), *args[1:])
    proc = subprocess.run([sys.executable, "-m", "tox", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=3000)
    if check:
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc


def harness(*args, timeout=1800):
    """Run `python -m harness` of this checkout on the host; fails the test with its output when
    it fails."""
    proc = subprocess.run([sys.executable, "-m", "harness", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="session")
def seed_raw(tmp_path_factory):
    """Raw results of the default cases in the real tf18, tf19 and tf216 environments."""
    raw = tmp_path_factory.mktemp("raw")
    tox("run-parallel", "-p", "2", "-e", "tf18,tf19,tf216", "--", "--out", str(raw))
    return raw


def run_cases(raw, envs, folder, fails=False):
    """The runner over a folder of cases in real environments, into raw; fails: some case errs by
    design, so the runner must exit 1 (every other cell still written)."""
    proc = tox("run-parallel", "-p", "2", "-e", ",".join(envs), "--", "--cases", str(folder),
               "--out", str(raw), check=not fails)
    if fails:
        assert proc.returncode != 0
    return raw


def cells(raw, env):
    """{(case, variant label): cell} of one environment's raw file."""
    doc = json.loads((raw / f"{env}.json").read_text())
    return {(c["case"], c["variant_label"]): c for c in doc["cells"]}


def pairs(cell):
    """{(target, source): pair} of one cell."""
    return {(p["target"], p["source"]): p for p in cell["pairs"]}
