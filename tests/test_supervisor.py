"""The supervisor with a fake worker: crash and timeout isolation, resumption, no TensorFlow.

The fake worker is an executable handed to run_cells as the interpreter. It speaks the worker's
protocol (hello, start, cell, fatal on the descriptor named by --fd) and does what each cell's
`fake` field says: ok, crash (os._exit), kill (SIGKILL itself), hang, fatal.
"""
import json
import os
import stat
import sys

import pytest

from harness.inside.running import supervisor
from harness.schema import CRASH, ERROR, TIMEOUT

FAKE = r'''#!{python}
import json, os, signal, sys, time
fd = int(sys.argv[sys.argv.index("--fd") + 1])
out = os.fdopen(fd, "wb", 0)
job = json.loads(sys.stdin.read())
def send(msg):
    out.write((json.dumps(msg) + "\n").encode())
if job["cells"] and job["cells"][0].get("fake") == "no_import":
    sys.stderr.write("ImportError: libtensorflow_framework.so.1: cannot open shared object\n")
    sys.exit(1)
send({{"type": "hello", "tf_version": "9.9.9", "pid": os.getpid()}})
for cell in job["cells"]:
    what = cell.get("fake", "ok")
    if what == "fatal":
        send({{"type": "fatal", "detail": "the case directory vanished"}})
        sys.exit(0)
    send({{"type": "start", "index": cell["index"]}})
    if what == "crash":
        sys.stderr.write("Fatal Python error: Aborted\n")
        os._exit(134)
    if what == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if what == "hang":
        time.sleep(60)
    send({{"type": "cell", "index": cell["index"],
          "result": {{"status": "ok", "detail": "", "pairs": [], "duration": 0.01,
                     "options": job["options"]}}}})
'''


@pytest.fixture
def fake(tmp_path):
    path = tmp_path / "fake-python"
    path.write_text(FAKE.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def run(fake, tmp_path, kinds, timeout=30.0):
    cells = [{"index": i, "mode": "graph", "fake": k} for i, k in enumerate(kinds)]
    hellos, results = [], []
    workers = supervisor.run_cells(cells, timeout, str(tmp_path / "worker.log"), hellos.append,
                                   lambda cell, res: results.append((cell["index"], res)),
                                   python=fake, options={"numeric": False})
    return workers, hellos, results


def test_every_cell_in_one_worker_in_order_with_its_options(fake, tmp_path):
    workers, hellos, results = run(fake, tmp_path, ["ok", "ok", "ok"])
    assert workers == 1 and len(hellos) == 1 and hellos[0]["tf_version"] == "9.9.9"
    assert [i for i, _ in results] == [0, 1, 2]
    assert all(r["status"] == "ok" and r["options"] == {"numeric": False} for _, r in results)


def test_a_crash_costs_its_cell_only_and_a_new_worker_resumes_after_it(fake, tmp_path):
    workers, hellos, results = run(fake, tmp_path, ["ok", "crash", "ok", "kill", "ok"])
    assert workers == 3 and len(hellos) == 3
    got = dict(results)
    assert sorted(got) == [0, 1, 2, 3, 4]
    assert got[1]["status"] == CRASH and "exited with code 134" in got[1]["detail"]
    assert "Fatal Python error: Aborted" in got[1]["detail"]  # the worker log's tail says why
    assert got[3]["status"] == CRASH and "killed by signal 9 (SIGKILL)" in got[3]["detail"]
    assert [got[i]["status"] for i in (0, 2, 4)] == ["ok"] * 3


def test_a_cell_past_the_timeout_is_stopped_and_the_rest_still_run(fake, tmp_path):
    workers, _, results = run(fake, tmp_path, ["hang", "ok"], timeout=1.0)
    got = dict(results)
    assert workers == 2
    assert got[0]["status"] == TIMEOUT and "ran past the timeout of 1 s" in got[0]["detail"]
    assert got[1]["status"] == "ok"


def test_a_worker_that_cannot_import_tensorflow_fails_every_cell_once(fake, tmp_path):
    workers, hellos, results = run(fake, tmp_path, ["no_import", "ok"])
    assert workers == 1 and hellos == []
    assert [(i, r["status"]) for i, r in results] == [(0, ERROR), (1, ERROR)]
    assert "before running a cell (importing TensorFlow)" in results[0][1]["detail"]
    assert "cannot open shared object" in results[0][1]["detail"]


def test_a_fatal_message_fails_the_pending_cells_with_its_words(fake, tmp_path):
    workers, _, results = run(fake, tmp_path, ["ok", "fatal", "ok"])
    got = dict(results)
    assert workers == 1 and got[0]["status"] == "ok"
    assert got[1] == got[2] == {"status": ERROR, "detail": "the case directory vanished",
                                "pairs": [], "duration": 0.0}


def test_no_cells_start_no_worker(fake, tmp_path):
    assert run(fake, tmp_path, []) == (0, [], [])
    assert not os.path.exists(tmp_path / "worker.log")
