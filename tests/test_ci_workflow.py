"""The GitHub Actions workflow: lint-clean, its job list is tox.ini's, its merge step works on artifacts.

The workflow's own `run:` scripts are executed here, so what is tested is what the jobs run.
"""
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from harness.host.envs import cimatrix, toxini
from tests.conftest import DATA, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "regression-matrix.yml"
FROZEN = ["tf18", "tf19", "tf115", "tf221"]
SEED_VARIANT = "batch=None,input=cond,cell=gru,seq_len=inputs"
# Entries tox adds to every environment by itself; tox.ini does not set them.
TOX_OWN = ("PYTHONHASHSEED", "PYTHONIOENCODING", "TOX_ENV_DIR", "TOX_ENV_NAME", "TOX_WORK_DIR")


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def step(job, step_id):
    return next(s for s in job["steps"] if s.get("id") == step_id)


def run_step(job, step_id, tmp_path, check=True, **env):
    """Run one `run:` step of the workflow as GitHub does (bash -eo pipefail) from the repo root."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "python").exists():
        (bin_dir / "python").symlink_to(sys.executable)  # the jobs call `python`
    full_env = {**os.environ, **job.get("env", {}), **env}
    full_env["PATH"] = os.pathsep.join([str(bin_dir), full_env["PATH"]])
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           step(job, step_id)["run"]], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120, check=check)


def actionlint() -> str:
    exe = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    if not os.access(exe, os.X_OK):
        pytest.fail("actionlint is not installed: python3 -m pip install -r requirements.txt")
    return exe


def test_actionlint_is_clean():
    out = subprocess.run([actionlint(), str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_matrix_the_workflow_runs_is_tox_envs(workflow, tmp_path):
    outputs = tmp_path / "github_output"
    outputs.touch()
    run_step(workflow["jobs"]["envs"], "matrix", tmp_path, GITHUB_OUTPUT=str(outputs))
    key, _, value = outputs.read_text().strip().partition("=")
    assert key == "matrix"
    ran = [entry["env"] for entry in json.loads(value)["include"]]
    listed = subprocess.run([sys.executable, "-m", "tox", "-l"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True).stdout.split()
    assert ran == [name for name in listed if toxini.minor_of(name)]
    assert len(ran) == 31 and ran[-1] == "tfnightly"


def test_workflow_keeps_no_list_of_its_own(workflow):
    run = workflow["jobs"]["run"]
    assert run["strategy"]["matrix"] == "${{ fromJSON(needs.envs.outputs.matrix) }}"
    assert workflow["jobs"]["envs"]["outputs"]["matrix"] == "${{ steps.matrix.outputs.matrix }}"
    assert "python -m harness ci-matrix --json" in step(workflow["jobs"]["envs"], "matrix")["run"]
    # No environment name and no TensorFlow release spelled out anywhere in the workflow.
    assert not re.search(r"\btf\d+\b|tensorflow", WORKFLOW.read_text(encoding="utf-8"))


def test_pins_and_environment_are_what_tox_would_use():
    entries = cimatrix.jobs()
    names = ",".join(e["env"] for e in entries)
    out = subprocess.run([sys.executable, "-m", "tox", "config", "-e", names, "-k", "deps",
                          "set_env"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True).stdout
    conf = configparser.ConfigParser(interpolation=None)
    conf.read_string(out)
    for entry in entries:
        section = conf[f"testenv:{entry['env']}"]
        deps, set_env = (section[key].split() for key in ("deps", "set_env"))
        assert entry["deps"].splitlines() == deps, entry["env"]
        assert sorted(entry["set_env"].splitlines()) == sorted(
            line for line in set_env if line.partition("=")[0] not in TOX_OWN), entry["env"]


def test_interpreter_is_the_newest_of_base_python_container_below_3_9():
    for env, entry in zip(toxini.read(), cimatrix.jobs()):
        assert f"python{entry['python']}" == env.base_python[0]
        old = tuple(map(int, entry["python"].split("."))) < (3, 9)
        assert entry["container"] == (f"python:{entry['python']}-slim" if old else "")
        assert entry["pip"] == ("pip<22" if entry["python"] == "3.6" else "pip")


def test_jobs_upload_what_the_report_job_downloads(workflow):
    run, report = workflow["jobs"]["run"], workflow["jobs"]["report"]
    upload = next(s for s in run["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    download = next(s for s in report["steps"]
                    if s.get("uses", "").startswith("actions/download-artifact"))
    assert upload["if"] == "always()"
    assert upload["with"]["name"] == "raw-${{ matrix.env }}"
    assert upload["with"]["path"] == "${{ env.RAW }}"
    # One sub-folder per artifact (no merge-multiple): the layout the merge test builds.
    assert download["with"] == {"pattern": "raw-*", "path": "${{ env.RAW }}"}
    assert report["if"].startswith("always()")


def _artifacts(workflow, tmp_path) -> Path:
    """results/raw as actions/download-artifact leaves it: frozen runs, one failed install."""
    raw = tmp_path / "results" / "raw"
    for name in FROZEN:
        (raw / f"raw-{name}").mkdir(parents=True)
        shutil.copy(DATA / "raw" / f"{name}.json", raw / f"raw-{name}" / f"{name}.json")
    job_tmp = tmp_path / "job-tf27"
    job_tmp.mkdir()
    (job_tmp / "install.log").write_text(
        "Collecting tensorflow-cpu==2.7.*\nERROR: Could not find a version that satisfies the "
        "requirement tensorflow-cpu==2.7.*\nERROR: No matching distribution found for "
        "tensorflow-cpu==2.7.*\n")
    run_step(workflow["jobs"]["run"], "record", tmp_path, RAW=str(raw / "raw-tf27"),
             RUNNER_TEMP=str(job_tmp), ENV_NAME="tf27", MINOR="2.7", INSTALL="failure")
    return raw


def test_merge_step_on_downloaded_artifacts(workflow, tmp_path):
    raw = _artifacts(workflow, tmp_path)
    out, summary = tmp_path / "results", tmp_path / "step_summary.md"
    report = workflow["jobs"]["report"]
    env = {"RAW": str(raw), "OUT": str(out), "RUNNER_TEMP": str(tmp_path),
           "GITHUB_STEP_SUMMARY": str(summary)}
    run_step(report, "fill", tmp_path, **env)
    # Releases without a result fail the step (the workflow is red), after every output is written.
    done = run_step(report, "report", tmp_path, check=False, **env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2.7 (tf27): install_failed: " in done.stdout and "2.0 (tf20): skipped: " in done.stdout
    run_step(report, "summary", tmp_path, **env)

    matrix = pd.read_csv(out / "matrix.csv", index_col=0, dtype=str)
    assert len(matrix) == 31
    assert {"1.8.0", "1.9.0", "1.15.5", "2.21.0"} <= set(matrix.index)
    assert (matrix.loc["2.7"] == "install_failed").all()
    assert (matrix.loc["2.0"] == "skipped").all()  # cancelled: a row, not a hole
    # the nightly job left nothing either: its row sorts after every release
    assert matrix.index[-1] == "nightly" and (matrix.loc["nightly"] == "skipped").all()

    tidy = pd.read_csv(out / "gradients.csv", dtype=str, keep_default_na=False)
    assert tidy[tidy["tf_version"] == "2.7"]["detail"].str.contains("No matching distribution").all()
    assert tidy[tidy["tf_version"] == "2.0"]["detail"].str.contains("cancelled").all()

    trans = pd.read_csv(out / "transitions.csv", dtype=str)
    conv = trans[(trans["variant"] == SEED_VARIANT) & (trans["target"] == "new_state")
                 & (trans["source"] == "layer_cell/conv1d/kernel")]
    assert conv[["old_status", "new_status", "last_old", "first_new"]].values.tolist() == [
        ["none", "grad", "1.8.0", "1.9.0"]]
    # Jobs that did not run never pose as a change of TensorFlow's behaviour.
    assert not trans["new_status"].isin(["skipped", "install_failed"]).any()
    assert "1.9.0" in summary.read_text()


def test_summary_without_report_md_is_the_report_output(workflow, tmp_path):
    (tmp_path / "report.txt").write_text("1 transition:\n  seed: none -> grad at 1.9.0\n")
    summary = tmp_path / "step_summary.md"
    run_step(workflow["jobs"]["report"], "summary", tmp_path, OUT=str(tmp_path / "empty"),
             RUNNER_TEMP=str(tmp_path), GITHUB_STEP_SUMMARY=str(summary))
    assert "```\n1 transition:\n  seed: none -> grad at 1.9.0\n```" in summary.read_text()
