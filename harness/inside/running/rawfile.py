"""Writes one environment's raw JSON file, atomically, as results arrive.

Inside rules: Python 3.6+, standard library only, no imports from harness.host.

A run never makes an environment's results worse: it writes <env>.json.partial until it holds a
result for every cell the existing <env>.json has (or it completes), and only then replaces
<env>.json (and removes the .partial). An interrupted rerun leaves the earlier file in place.
"""
import json
import os
import tempfile

from harness.schema import ERROR, RAW_KIND, SCHEMA_VERSION


def new(env_name, env, run):
    """The document of one environment's run, before any cell."""
    return {"kind": RAW_KIND, "schema": SCHEMA_VERSION, "env_name": env_name, "complete": False,
            "env": env, "run": run, "problems": [], "cells": []}


def failed_env(env_name, tf_version, status, detail, env=None):
    """The document of an environment that never ran a cell (install_failed, skipped)."""
    doc = new(env_name, dict(env or {}, tf_version=tf_version), {})
    doc.update({"complete": True, "env_status": status, "env_detail": detail})
    return doc


def write(path, doc):
    """Replace `path` with `doc` in one rename: readers see the old file or the new one, never half."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)  # two environments of tox -p may create it at once
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=directory)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text(doc))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def text(doc):
    """The document as JSON: its head indented, then one line per cell. Cells are most of it, and
    json's C encoder (no indent) writes them 3 - 4 times faster than an indented dump: an
    unchanged re-run rewrites the whole file, and a run after every cell."""
    head = json.dumps(dict((k, v) for k, v in doc.items() if k != "cells"), indent=1)
    cells = ",\n".join(json.dumps(cell) for cell in doc.get("cells", []))
    opening = "{\n" if head == "{}" else head[:-2] + ",\n"  # head[:-2]: without its "\n}"
    return opening + ' "cells": [\n' + cells + "\n ]\n}\n"


PARTIAL = ".partial"  # <env>.json.partial: a run that has not (yet) replaced <env>.json
# cell-level ERRORs the supervisor writes when a worker cannot start: not a fact about the case
_TRANSIENT_ERRORS = ("worker ", "importing TensorFlow failed")


def transient(cell):
    """A cell whose error says its worker could not start (TensorFlow did not import, the worker
    died before its first cell): a failure of this run, not a result of the case."""
    return cell.get("status") == ERROR and str(cell.get("detail", "")).startswith(_TRANSIENT_ERRORS)


def _cells_of(path):
    """(case, variant label) of every cell of an existing raw file; empty when there is none or it
    cannot be read (nothing worth keeping)."""
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read().decode("utf-8"))
        return set((c["case"], c.get("variant_label", "")) for c in doc["cells"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


class Writer(object):
    """Writes one run's document: to path + '.partial' while it has fewer results than the file at
    `path`, then (for good) to `path` itself. A run that completes replaces the file too, unless a
    cell of it only says its worker could not start: then the earlier results stay."""

    def __init__(self, path):
        self.path = path
        self.partial = path + PARTIAL
        self.keep = _cells_of(path)
        self.replaced = False

    def write(self, doc):
        if not self.replaced:
            facts = [c for c in doc["cells"] if not transient(c)]
            have = set((c["case"], c.get("variant_label", "")) for c in facts)
            self.replaced = (bool(doc.get("complete")) and len(facts) == len(doc["cells"])
                             or self.keep <= have)
        if not self.replaced:
            write(self.partial, doc)
            return self.partial
        write(self.path, doc)
        if os.path.exists(self.partial):
            os.unlink(self.partial)
        return self.path
