"""Writes one environment's raw JSON file, atomically, as results arrive.

Inside rules: Python 3.6+, standard library only, no imports from harness.host.
"""
import json
import os
import tempfile

from harness.schema import RAW_KIND, SCHEMA_VERSION


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
    if not os.path.isdir(directory):
        os.makedirs(directory)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=directory)
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(doc, fh, indent=1, sort_keys=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
