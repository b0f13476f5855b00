"""Supervisor: runs cells in a worker process that imports TensorFlow once; survives its death.

Inside rules: Python 3.6+, standard library only, no imports from harness.host. It never imports
TensorFlow itself. A worker that dies (signal, abort, os._exit) or overruns the timeout costs its
current cell a `crash` or `timeout`; a new worker resumes after that cell. No crash, no extra import.
"""
import json
import os
import select
import signal
import subprocess
import sys
import time

from harness.schema import CRASH, ERROR, TIMEOUT

_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
IMPORT_TIMEOUT = 900.0


def _exit_text(code):
    if code is None:
        return "still running"
    if code < 0:
        try:
            return "killed by signal {} ({})".format(-code, signal.Signals(-code).name)
        except ValueError:
            return "killed by signal {}".format(-code)
    return "exited with code {}".format(code)


def _tail(path, lines=6):
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 4000))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [ln for ln in text.splitlines() if ln.strip()][-lines:]
    return " | ".join(kept)


class _Channel(object):
    """Line-oriented reads with a deadline from the worker's message pipe."""

    def __init__(self, fd):
        self.fd = fd
        self.buf = b""

    def read(self, deadline):
        """The next message, or None at EOF, or 'timeout'."""
        while b"\n" not in self.buf:
            remaining = deadline - time.time()
            if remaining <= 0:
                return "timeout"
            ready, _, _ = select.select([self.fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line.decode("utf-8"))


def run_cells(cells, timeout, log_path, on_hello, on_result, python=None, options=None, env=None):
    """Run cells (dicts with 'index' and 'mode', graph and eager alike) in as few workers as crashes
    allow; returns workers started, each one TensorFlow import.

    options go to the worker as they are (numeric check and break-point search switches); env:
    environment variables the workers run under (the Keras 3 line's).
    """
    extra = env or {}
    pending = list(cells)
    workers = 0
    while pending:
        workers += 1
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, **extra)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [_PACKAGE_PARENT, env.get("PYTHONPATH")] if p)
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(
                [python or sys.executable, "-m", "harness.inside.running.worker", "--fd", str(write_fd)],
                stdin=subprocess.PIPE, stdout=log, stderr=log, pass_fds=(write_fd,), env=env)
        os.close(write_fd)
        channel = _Channel(read_fd)
        try:
            proc.stdin.write(json.dumps({"cells": pending, "options": options or {}}).encode("utf-8"))
            proc.stdin.close()
        except OSError:
            pass
        current, started = None, time.time()
        deadline = started + IMPORT_TIMEOUT
        by_index = dict((c["index"], c) for c in pending)
        done = set()
        try:
            while True:
                msg = channel.read(deadline)
                if msg == "timeout" or msg is None:
                    if msg == "timeout":
                        proc.kill()
                    code = proc.wait()
                    if current is None and done:
                        break  # finished, or died between cells: a new worker takes the rest
                    if current is None:
                        # Died or hung before any cell started: TensorFlow itself does not load.
                        why = "worker {} before running a cell (importing TensorFlow): {}".format(
                            "hung" if msg == "timeout" else _exit_text(code), _tail(log_path))
                        for cell in pending:
                            on_result(cell, {"status": ERROR if msg is None else TIMEOUT,
                                             "detail": why, "pairs": [], "duration": 0.0})
                        return workers
                    status = TIMEOUT if msg == "timeout" else CRASH
                    detail = ("ran past the timeout of {:g} s".format(timeout) if msg == "timeout"
                              else "{}: {}".format(_exit_text(code), _tail(log_path)))
                    on_result(by_index[current], {"status": status, "detail": detail, "pairs": [],
                                                  "duration": round(time.time() - started, 3)})
                    done.add(current)
                    break
                kind = msg.get("type")
                if kind in ("hello", "keras"):
                    on_hello(msg)
                elif kind == "fatal":
                    for cell in [c for c in pending if c["index"] not in done]:
                        on_result(cell, {"status": ERROR, "detail": msg["detail"], "pairs": [],
                                         "duration": 0.0})
                    proc.wait()
                    return workers
                elif kind == "start":
                    current = msg["index"]
                    started = time.time()
                    deadline = started + timeout
                elif kind == "cell":
                    on_result(by_index[msg["index"]], msg["result"])
                    done.add(msg["index"])
                    current = None
                    deadline = time.time() + timeout
        finally:
            os.close(read_fd)
            if proc.poll() is None:
                proc.wait()
        pending = [c for c in pending if c["index"] not in done]
    return workers
