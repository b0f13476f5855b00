"""The result cache's pure logic on frozen data: keys, what may be reused, why not, carrying over."""
import json
from pathlib import Path
import shutil
import sys

import pytest

from harness.inside import tfapi
from harness.inside.running import cache, envinfo
from harness.schema import RAW_KIND, SCHEMA_VERSION
from tests.conftest import DATA, ROOT

OPTIONS = {"numeric": True, "values": True, "breakpoint": True, "eps": 0.001, "tol": 0.05}
PKGS = {"tensorflow": "1.8.0", "numpy": "1.14.5"}


def run_inputs(**options):
    return cache.inputs(dict(OPTIONS, **options), packages=PKGS, environ={})


@pytest.fixture
def harness_copy(tmp_path):
    dest = tmp_path / "harness"
    shutil.copytree(ROOT / "harness", dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_inside_hash_follows_inside_code_and_schema_not_host_code(harness_copy):
    before = cache.inside_hash(str(harness_copy))
    (harness_copy / "host" / "cli.py").write_text("# host code changed\n")
    assert cache.inside_hash(str(harness_copy)) == before
    for name in ("inside/sources/cases.py", "inside/tfapi.py", "schema.py", "__init__.py",
                 "__main__.py"):
        path = harness_copy / name
        text = path.read_text()
        path.write_text(text + "\n# changed\n")
        assert cache.inside_hash(str(harness_copy)) != before, name
        path.write_text(text)
    for room in ("", "judging"):  # a new module, flat or in one of the rooms
        new = harness_copy / "inside" / room / "new_module.py"
        new.write_text("X = 1\n")
        assert cache.inside_hash(str(harness_copy)) != before, new
        new.unlink()
    assert cache.inside_hash() == cache.inside_hash(str(ROOT / "harness"))


def test_env_hash_follows_packages_interpreter_variables_only():
    base = cache.env_hash(PKGS, {"HOME": "/a"})
    assert cache.env_hash(dict(PKGS), {"HOME": "/b", "PATH": "/x"}) == base
    assert cache.env_hash(dict(PKGS, numpy="1.14.6"), {"HOME": "/a"}) != base
    assert cache.env_hash(dict(PKGS, keras="2.2"), {"HOME": "/a"}) != base
    assert cache.env_hash(PKGS, {"TF_USE_LEGACY_KERAS": "1"}) != base


def test_installed_lists_the_distributions_by_their_directory_names_without_reading_them(
        tmp_path, monkeypatch):
    found = cache.installed()
    import pandas
    assert found["pandas"] == pandas.__version__
    site = tmp_path / "site"
    for name in ("Foo_Bar-1.2.3.dist-info", "protobuf-3.19.6.dist-info", "old_pkg-0.1-py3.6.egg-info"):
        (site / name).mkdir(parents=True)  # empty: no METADATA file is read
    monkeypatch.setattr(sys, "path", [str(site)])
    monkeypatch.setitem(sys.modules, "importlib.metadata", None)  # as on 3.6: no such module
    assert cache.installed() == {"foo-bar": "1.2.3", "old-pkg": "0.1", "protobuf": "3.19.6"}


def planned(tmp_path, text="def build(tf):\n    return {}\n", variant=(("batch", None),)):
    path = tmp_path / "case_a.py"
    path.write_text(text)
    return {"index": 0, "case": "case_a", "path": str(path), "mode": "graph",
            "variant": [list(p) for p in variant], "variant_label": "x"}


def key(tmp_path, inputs=None, **kw):
    cell = planned(tmp_path, **kw)
    return cache.cell_key(cell, cache.case_hash(cell["path"]), inputs or run_inputs())


def test_cell_key_changes_with_each_input_and_only_then(tmp_path):
    base = key(tmp_path)
    assert key(tmp_path) == base
    assert key(tmp_path, text="def build(tf):\n    return {} # x\n") != base
    assert key(tmp_path, variant=(("batch", 34),)) != base
    assert key(tmp_path, inputs=run_inputs(tol=0.1)) != base
    assert key(tmp_path, inputs=run_inputs(numeric=False)) != base
    other = dict(run_inputs(), inside="0" * 16)
    assert key(tmp_path, inputs=other) != base
    assert key(tmp_path, inputs=dict(run_inputs(), env="1" * 16)) != base
    (tmp_path / "_helper.py").write_text("X = 1\n")  # a module beside it the case may import
    assert key(tmp_path) != base
    (tmp_path / "other_case.py").write_text("X = 1\n")  # another case: not an input
    helper = key(tmp_path)
    (tmp_path / "other_case.py").write_text("X = 2\n")
    assert key(tmp_path) == helper


@pytest.mark.parametrize("cell, ok", [
    ({"cache_key": "k", "status": "ok"}, True),
    ({"cache_key": "k", "status": "skipped"}, True),
    ({"cache_key": "k", "status": "error", "detail": "build() raised RuntimeError: x"}, True),
    ({"status": "ok"}, False),
    ({"cache_key": "k", "status": "crash", "detail": "killed by signal 6"}, False),
    ({"cache_key": "k", "status": "timeout"}, False),
    ({"cache_key": "k", "status": "error", "detail": "worker exited with code 1 before running"}, False),
    ({"cache_key": "k", "status": "error", "detail": "importing TensorFlow failed: ImportError"}, False),
])
def test_only_facts_are_reused_never_crashes_timeouts_or_workers_that_did_not_start(cell, ok):
    assert cache.reusable(cell) is ok


def doc_with(inputs, cells, schema=SCHEMA_VERSION, started="2026-11-27T10:00:00Z", env=None):
    return {"kind": RAW_KIND, "schema": schema, "env_name": "tf18", "complete": True,
            "env": env or {"tf_version": "1.8.0", "tf_git_version": "v1.8.0-0-g93bc2e2072",
                           "devices": ["CPU:0"]},
            "run": {"started": started, "cache": inputs}, "cells": cells}


def test_why_not_names_schema_inside_code_environment_options_and_files_before_the_cache():
    now = run_inputs()
    cells = [{"case": "a", "cache_key": "k", "status": "ok"}]
    assert cache.why_not(doc_with(now, cells), now) == ""
    assert "raw schema 1" in cache.why_not(doc_with(now, cells, schema=1), now)
    assert "other harness inside code" in cache.why_not(doc_with(dict(now, inside="ab"), cells), now)
    assert "package set" in cache.why_not(doc_with(dict(now, env="cd"), cells), now)
    assert cache.why_not(doc_with(run_inputs(tol=0.1), cells), now) == (
        "written with other run options (tol)")
    frozen = json.loads((DATA / "raw" / "tf18.json").read_text())  # a real file of schema 1
    assert cache.why_not(frozen, now) == "written with raw schema 1, this harness writes 2"
    frozen["schema"] = SCHEMA_VERSION
    assert cache.why_not(frozen, now) == "written before the result cache (no cache keys)"
    assert cache.why_not(dict(frozen, cells=[]), now) == ""  # nothing to reuse: nothing to say


def store_with(tmp_path, main=None, partial=None, inputs=None, rerun=False):
    out = tmp_path / "tf18.json"
    for path, doc in ((out, main), (tmp_path / "tf18.json.partial", partial)):
        if isinstance(doc, dict):
            path.write_text(json.dumps(doc))
        elif isinstance(doc, str):
            path.write_text(doc)
    return cache.Store(str(out), inputs or run_inputs(), rerun=rerun)


def two_cells(tmp_path):
    cell = planned(tmp_path)
    second = dict(cell, index=1, variant=[["batch", 34]], variant_label="y")
    return [cell, second]


def test_store_carries_over_matching_cells_in_plan_order_with_the_env_facts(tmp_path):
    cells = two_cells(tmp_path)
    now = run_inputs()
    keys = [cache.cell_key(c, cache.case_hash(c["path"]), now) for c in cells]
    old = doc_with(now, [{"case": "case_a", "variant_label": "y", "cache_key": keys[1],
                          "status": "ok", "pairs": [], "ran": "2026-11-27T10:00:05Z"}])
    store = store_with(tmp_path, main=old)
    doc, env = {"cells": []}, {"python_version": "3.6.15"}
    todo = store.carry(doc, cells, env)
    assert [c["index"] for c in todo] == [0] and store.carried == 1
    assert doc["cells"][0]["ran"] == "2026-11-27T10:00:05Z" and doc["cells"][0]["carried_over"]
    assert env == {"python_version": "3.6.15", "tf_version": "1.8.0",
                   "tf_git_version": "v1.8.0-0-g93bc2e2072", "devices": ["CPU:0"]}
    store.add(doc, todo[0], {"case": "case_a", "variant_label": "x", "status": "ok"})
    assert [c["variant_label"] for c in doc["cells"]] == ["x", "y"]  # plan order, not arrival
    assert doc["cells"][0]["cache_key"] == keys[0] and "carried_over" not in doc["cells"][0]
    assert store.summary()["carried_over"] == 1 and store.summary()["recomputed"] == 1


def test_store_resumes_from_a_partial_run_and_prefers_it(tmp_path):
    cells = two_cells(tmp_path)
    now = run_inputs()
    keys = [cache.cell_key(c, cache.case_hash(c["path"]), now) for c in cells]
    old = doc_with(now, [{"case": "case_a", "variant_label": "x", "cache_key": keys[0],
                          "status": "ok", "detail": "old"}])
    newer = doc_with(now, [{"case": "case_a", "variant_label": c["variant_label"], "cache_key": k,
                            "status": "ok", "detail": "new"} for c, k in zip(cells, keys)],
                     started="2026-11-27T11:00:00Z")
    doc = {"cells": []}
    assert store_with(tmp_path, main=old, partial=newer).carry(doc, cells, {}) == []
    assert [c["detail"] for c in doc["cells"]] == ["new", "new"]


def test_cells_not_chosen_keep_their_earlier_results_where_they_still_hold(tmp_path):
    """--case X (with or without --rerun) runs X's cells; other cases' earlier results stay."""
    cells = two_cells(tmp_path)
    other = dict(cells[0], index=2, case="case_b", variant=[], variant_label="")
    cells.append(other)
    now = run_inputs()
    keys = [cache.cell_key(c, cache.case_hash(c["path"]), now) for c in cells]
    old = doc_with(now, [{"case": c["case"], "variant_label": c["variant_label"], "cache_key": k,
                          "status": "ok", "detail": "old"} for c, k in zip(cells[1:], keys[1:])])
    for rerun in (False, True):
        doc = {"cells": []}
        store = store_with(tmp_path, main=old, rerun=rerun)
        todo = store.carry(doc, cells, {}, chosen=lambda c: c["case"] == "case_a")
        assert [c["index"] for c in todo] == ([0] if not rerun else [0, 1])
        assert [(c["case"], c["variant_label"]) for c in doc["cells"]] == (
            [("case_a", "y"), ("case_b", "")] if not rerun else [("case_b", "")])
    # a case not chosen whose earlier result no longer holds (its file changed) is left out
    Path(other["path"]).write_text("def build(tf):\n    return {'targets': {}}\n")
    doc = {"cells": []}
    todo = store_with(tmp_path, main=old).carry(doc, cells, {}, chosen=lambda c: c["case"] == "case_b")
    assert [c["index"] for c in todo] == [2] and doc["cells"] == []


def test_rerun_corrupt_and_foreign_files_reuse_nothing_and_say_why(tmp_path):
    cells = two_cells(tmp_path)
    now = run_inputs()
    keys = [cache.cell_key(c, cache.case_hash(c["path"]), now) for c in cells]
    good = doc_with(now, [{"case": "case_a", "variant_label": "x", "cache_key": keys[0],
                           "status": "ok"}])
    store = store_with(tmp_path, main=good, rerun=True)
    assert len(store.carry({"cells": []}, cells, {})) == 2
    assert store.notes == ["--rerun: every cell is run again"]
    store = store_with(tmp_path, main='{"kind": "tf-regression-harness/raw", "cells": [')
    assert len(store.carry({"cells": []}, cells, {})) == 2
    assert len(store.notes) == 1 and store.notes[0].startswith(str(tmp_path / "tf18.json") + ": unreadable")
    store = store_with(tmp_path, main=doc_with(dict(now, inside="0" * 16), good["cells"]))
    assert len(store.carry({"cells": []}, cells, {})) == 2
    assert "other harness inside code (inside hash 0000000000000000" in store.notes[0]
    store = store_with(tmp_path, main=doc_with(now, good["cells"], schema=1))
    assert "raw schema 1" in store.notes[0]


@pytest.mark.parametrize("raw, text", [
    ("b'v1.13.2-5-g04256c8'", "v1.13.2-5-g04256c8"), (b"v1.13.2-5-g04256c8", "v1.13.2-5-g04256c8"),
    ("v1.8.0-0-g93bc2e2072", "v1.8.0-0-g93bc2e2072"), (None, ""), ("b'", "b'")])
def test_git_versions_of_old_releases_are_text(raw, text):
    assert tfapi.clean_git_version(raw) == text


def test_commit_of_a_checkout_or_unknown(tmp_path):
    commit = envinfo.git_commit(str(ROOT))
    assert commit == "unknown" or len(commit.split("+")[0]) == 12
    assert envinfo.git_commit(str(tmp_path)) == "unknown"  # no .git


def test_a_checkout_is_dirty_for_its_code_not_for_the_tables_runs_rewrite(tmp_path):
    import subprocess
    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path,
                       check=True, capture_output=True)
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "matrix.csv").write_text("a\n")
    (tmp_path / "case.py").write_text("x = 1\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "c")
    clean = envinfo.git_commit(str(tmp_path))
    assert len(clean) == 12 and "+" not in clean
    (tmp_path / "results" / "matrix.csv").write_text("b\n")
    (tmp_path / "results" / "new.json").write_text("{}\n")
    assert envinfo.git_commit(str(tmp_path)) == clean
    (tmp_path / "case.py").write_text("x = 2\n")
    assert envinfo.git_commit(str(tmp_path)) == clean + "+dirty"
