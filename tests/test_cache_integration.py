"""The result cache and safe replacement in the real tf18 environment (tox; HARNESS_TOX_WORKDIR
reuses another checkout's environments): unchanged reruns import no TensorFlow, a changed case
reruns alone, --rerun recomputes with the same tables, an interrupted rerun keeps the old file."""
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.conftest import ROOT, TOX_WORKDIR, harness, tox

pytestmark = pytest.mark.integration
CASES = [ROOT / "cases" / "minimal_rnn_trigger.py", ROOT / "tests" / "cases_explicit" / "scaled_square.py"]


def run(cases, out, *extra, check=True):
    proc = tox("run", "-e", "tf18", "--", "--cases", str(cases), "--out", str(out), *extra,
               check=check)
    return proc.stdout + proc.stderr


def raw(out):
    return json.loads((out / "tf18.json").read_text())


def without_flags(cells):
    return [{k: v for k, v in c.items() if k != "carried_over"} for c in cells]


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """(cases dir, out dir, the raw document of a first run in a fresh directory)."""
    root = tmp_path_factory.mktemp("cache")
    cases, out = root / "cases", root / "raw"
    cases.mkdir()
    for path in CASES:
        shutil.copy(path, cases)
    run(cases, out)
    doc = raw(out)
    assert doc["complete"] and doc["run"]["workers"] == 1 and len(doc["cells"]) == 7
    assert doc["run"]["cache"]["carried_over"] == 0
    return cases, out, doc


def test_unchanged_rerun_imports_no_tensorflow_and_writes_a_complete_file(first):
    cases, out, doc = first
    run(cases, out)  # whatever ran before, now everything is cached
    (out / "tf18.log").unlink()
    said = run(cases, out)
    again = raw(out)
    assert "7 carried over, 0 workers" in said
    assert again["complete"] and again["run"]["workers"] == 0
    assert not (out / "tf18.log").exists()  # no worker, no TensorFlow output
    assert again["run"]["cache"]["carried_over"] == 7 and again["run"]["cache"]["recomputed"] == 0
    assert all(c["carried_over"] for c in again["cells"])
    # carried over as they were (timestamps included), with the facts only a worker can tell
    assert without_flags(again["cells"]) == without_flags(doc["cells"])
    for key in ("tf_version", "tf_git_version", "devices", "keras"):  # keras: the report's
        assert again["env"][key] == doc["env"][key]  # tf.keras column was blank after such a run
    assert again["env"]["tf_version"] == "1.8.0" and again["env"]["devices"] == ["CPU:0"]


def test_rerun_recomputes_everything_with_byte_identical_tables(first, tmp_path):
    cases, out, _ = first
    run(cases, out)
    cached = tmp_path / "cached"
    shutil.copytree(out, cached)
    assert raw(cached)["run"]["workers"] == 0
    said = run(cases, out, "--rerun")
    fresh = raw(out)
    assert "--rerun: every cell is run again" in said
    assert fresh["run"]["workers"] == 1 and fresh["run"]["cache"]["carried_over"] == 0
    assert not any(c.get("carried_over") for c in fresh["cells"])
    for name, raw_dir in (("a", cached), ("b", out)):
        harness("report", "--raw", str(raw_dir), "--out", str(tmp_path / name), "--no-plots")
    for table in ("gradients.csv", "matrix.csv", "transitions.csv", "value_changes.csv"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes(), table


def test_changing_a_case_file_reruns_only_that_case(first):
    cases, out, _ = first
    run(cases, out)
    with open(cases / "scaled_square.py", "a") as fh:
        fh.write("# changed\n")
    said = run(cases, out)
    doc = raw(out)
    assert "6 cells carried over from earlier runs (inputs unchanged), 1 to run" in said
    carried = {c["case"] for c in doc["cells"] if c.get("carried_over")}
    ran = {c["case"] for c in doc["cells"] if not c.get("carried_over")}
    assert carried == {"minimal_rnn_trigger"} and ran == {"scaled_square"}
    assert doc["run"]["workers"] == 1 and doc["complete"]


def test_interrupted_rerun_keeps_the_earlier_complete_results(first, tmp_path):
    cases, out, _ = first
    run(cases, out)
    before = (out / "tf18.json").read_bytes()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
           "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}  # tox.ini's set_env
    proc = subprocess.Popen([str(TOX_WORKDIR / "tf18" / "bin" / "python"), "-m", "harness", "run",
                             "--cases", str(cases), "--out", str(out), "--env-name", "tf18",
                             "--rerun"], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)
    try:
        for line in proc.stderr:
            if line.startswith("harness: tf18 minimal_rnn_trigger ["):
                break  # one cell done: kill the runner and its worker mid-way
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert (out / "tf18.json").read_bytes() == before
    partial = json.loads((out / "tf18.json.partial").read_text())
    assert not partial["complete"] and 1 <= len(partial["cells"]) < 7
    said = harness("report", "--raw", str(out), "--out", str(tmp_path / "rep"), "--no-plots").stdout
    assert "tf18: a newer partial run exists (tf18.json.partial" in said
    assert "a newer partial run exists" in (tmp_path / "rep" / "report.md").read_text()
    # the next run resumes: the partial run's cells are carried over, the old file then replaced
    time.sleep(1)  # a later start stamp than the killed run's
    said = run(cases, out)
    doc = raw(out)
    assert doc["complete"] and not (out / "tf18.json.partial").exists()
    assert "7 carried over, 0 workers" in said


@pytest.mark.parametrize("spoil, why", [
    (lambda doc: "{" + json.dumps(doc)[:200], "unreadable (JSONDecodeError"),
    (lambda doc: json.dumps(dict(doc, run=dict(doc["run"], cache=dict(doc["run"]["cache"],
                                                                      inside="0" * 16)))),
     "written by other harness inside code (inside hash 0000000000000000, now "),
    (lambda doc: json.dumps(dict(doc, schema=1)), "written with raw schema 1, this harness writes 2"),
])
def test_bad_previous_file_is_named_and_recomputed(first, tmp_path, spoil, why):
    cases, _, doc = first
    one = tmp_path / "cases"
    one.mkdir()
    shutil.copy(ROOT / "tests" / "cases_explicit" / "scaled_square.py", one)
    out = tmp_path / "raw"
    run(one, out)
    (out / "tf18.json").write_text(spoil(raw(out)))
    said = run(one, out)
    assert f"harness: tf18: {out / 'tf18.json'}: {why}" in said
    again = raw(out)
    assert again["complete"] and again["run"]["workers"] == 1
    assert again["run"]["cache"]["carried_over"] == 0
