"""Failed environments are rows, not holes: real tox runs on a copy of the project with broken envs."""
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory):
    """The project with two extra environments: a release that does not exist, a missing Python."""
    proj = tmp_path_factory.mktemp("proj")
    for name in ("harness", "cases"):
        shutil.copytree(ROOT / name, proj / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "toxfile.py", proj)
    ini = (ROOT / "tox.ini").read_text().replace("    report\n", "    tf99\n    tf15\n    report\n", 1)
    ini += ("\n[testenv:tf99]\nbase_python = python3.6\ndeps =\n    tensorflow==9.9.*\n"
            "\n[testenv:tf15]\nbase_python = python3.5\ndeps =\n    tensorflow==1.5.*\n")
    (proj / "tox.ini").write_text(ini)
    raw = proj / "raw"
    raw.mkdir()
    shutil.copy(DATA / "raw" / "tf18.json", raw)
    for env in ("tf99", "tf15"):
        proc = subprocess.run([sys.executable, "-m", "tox", "run", "-e", env, "--", "--out", str(raw)],
                              cwd=proj, capture_output=True, text=True, timeout=900)
        assert proc.returncode != 0, proc.stdout[-3000:]
    report = subprocess.run([sys.executable, "-m", "harness", "report", "--raw", str(raw), "--out",
                             str(proj / "out")], cwd=proj, capture_output=True, text=True, timeout=300)
    # every output is written; a release that failed or cannot run makes the exit status 1
    assert report.returncode == 1, report.stdout[-3000:] + report.stderr[-3000:]
    assert "9.9 (tf99): install_failed: " in report.stdout and "1.5 (tf15): skipped: " in report.stdout
    return proj


def test_release_that_cannot_install_is_an_install_failed_row_with_the_reason(broken_project):
    doc = json.loads((broken_project / "raw" / "tf99.json").read_text())
    assert doc["env_status"] == "install_failed"
    assert "tensorflow==9.9.*" in doc["env_detail"] and "unsatisfiable" in doc["env_detail"]
    wide = pd.read_csv(broken_project / "out" / "matrix.csv", index_col=0)
    assert set(wide.loc["9.9"]) == {"install_failed"}
    grads = pd.read_csv(broken_project / "out" / "gradients.csv", keep_default_na=False)
    assert grads[grads["tf_version"] == "9.9"]["detail"].str.contains("unsatisfiable").all()


def test_missing_interpreter_is_a_skipped_row_saying_how_to_get_it(broken_project):
    grads = pd.read_csv(broken_project / "out" / "gradients.csv", keep_default_na=False)
    rows = grads[grads["tf_version"] == "1.5"]
    assert len(rows) == 96 and set(rows["status"]) == {"skipped"}
    assert rows["detail"].str.contains("python3.5").all()
    assert rows["detail"].str.contains("pyenv install 3.5").all()


def test_healthy_release_keeps_its_results_beside_the_broken_ones(broken_project):
    wide = pd.read_csv(broken_project / "out" / "matrix.csv", index_col=0, dtype=str)
    assert list(wide.index[:3]) == ["1.5", "1.8.0", "1.9"] and wide.index[-2:].tolist() == [
        "9.9", "nightly"]
    assert "none" in set(wide.loc["1.8.0"]) and "grad" in set(wide.loc["1.8.0"])
    # the releases of tox.ini that were not run are empty rows in their place, never left out
    assert wide.loc["1.9"].isna().all() and wide.loc["nightly"].isna().all()


def test_rerunning_one_environment_replaces_only_its_own_file(tmp_path):
    other = tmp_path / "tf19.json"
    other.write_text("sentinel")
    proc = subprocess.run([sys.executable, "-m", "tox", "run", "-e", "tf18", "--", "--out",
                           str(tmp_path), "--case", "seed_conv_bn_gru"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert other.read_text() == "sentinel"
    assert json.loads((tmp_path / "tf18.json").read_text())["env"]["tf_version"] == "1.8.0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tf18.json", "tf18.log", "tf19.json"]
