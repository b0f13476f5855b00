"""Variants as structured pairs from the runner to the last view; old raw files still load."""
import json

from harness.host.reports import htmlreport, report
from harness.host.tables import load
from harness.inside.sources import cases as caselib
from harness.schema import RAW_KIND, SCHEMA_VERSION


def raw(path, version, case, cells, declared=None):
    """A raw file of one release: cells (variant pairs or None for an old file, {(t, s): status})."""
    doc = {"kind": RAW_KIND, "schema": SCHEMA_VERSION, "env_name": path.stem, "complete": True,
           "env": {"tf_version": version, "python_version": "3.11.0"},
           "run": {"started": "2026-01-01T00:00:00Z"} if declared is None else
           {"started": "2026-01-01T00:00:00Z", "cases": {case: declared}}, "cells": []}
    for pairs, statuses in cells:
        cell = {"case": case, "variant_label": caselib.variant_label(pairs or []), "status": "ok",
                "pairs": [{"target": t, "source": s, "status": st}
                          for (t, s), st in statuses.items()]}
        if pairs is not None:
            cell["variant"] = [list(p) for p in pairs]
        doc["cells"].append(cell)
    path.write_text(json.dumps(doc))


def test_a_value_with_comma_and_equals_survives_load_tables_and_findings(tmp_path):
    default, odd = [("sep", "plain"), ("n", 1)], [("sep", "a,b=c"), ("n", 1)]
    declared = {"axes": {"sep": ["plain", "a,b=c"], "n": [1]}, "default": {"sep": "plain", "n": 1}}
    for name, version, status in (("tf18", "1.8.0", "none"), ("tf19", "1.9.0", "grad")):
        raw(tmp_path / f"{name}.json", version, "c",
            [(default, {("t", "w"): "grad"}), (odd, {("t", "w"): status})], declared)
    tables = report.build(tmp_path, envs=[])
    label = "sep=a,b=c,n=1"
    assert tables.analysis.variants.pairs("c", label) == (("sep", "a,b=c"), ("n", "1"))
    assert tables.analysis.variants.default("c") == {"sep": "plain", "n": "1"}
    assert ("c", label, "t", "w") in tables.matrix.columns
    [finding] = tables.analysis.findings
    assert (finding.variant, finding.sources, finding.old, finding.new) == (label, ["w"], "none",
                                                                            "grad")
    assert tables.analysis.variants.short("c", label) == "sep=a,b=c"  # not 'sep=a,b=c' split in two
    assert list(tables.transitions["variant"]) == [label]


def test_the_runners_default_wins_over_the_first_cell(tmp_path):
    declared = {"axes": {"a": [1, 2]}, "default": {"a": 1}}
    raw(tmp_path / "tf18.json", "1.8.0", "c", [([("a", 2)], {("t", "s"): "grad"}),
                                               ([("a", 1)], {("t", "s"): "grad"})], declared)
    variants = load.variants(load.load_dir(tmp_path)[0])
    assert variants.default("c") == {"a": "1"} and variants["c"].declared
    assert variants["c"].axes == {"a": ["1", "2"]}
    assert variants.short("c", "a=2") == "a=2" and variants.short("c", "a=1") == "default"


def test_old_raw_files_derive_pairs_and_default_from_the_first_cell(tmp_path):
    raw(tmp_path / "tf18.json", "1.8.0", "c", [(None, {("t", "s"): "grad"}),
                                               (None, {("t", "s"): "none"})])
    doc = json.loads((tmp_path / "tf18.json").read_text())
    doc["cells"][0]["variant_label"], doc["cells"][1]["variant_label"] = "a=1,b=x", "a=2,b=x"
    (tmp_path / "tf18.json").write_text(json.dumps(doc))
    variants = load.variants(load.load_dir(tmp_path)[0])
    assert variants.pairs("c", "a=2,b=x") == (("a", "2"), ("b", "x"))
    assert variants.default("c") == {"a": "1", "b": "x"} and not variants["c"].declared
    assert variants.short("c", "a=2,b=x") == "a=2"


def test_the_runner_records_each_cases_axes_and_default(tmp_path):
    (tmp_path / "k.py").write_text('VARIANTS = {"batch": [None, 34], "cell": ["gru", "lstm"]}\n'
                                   'def build(tf, **variant):\n    pass\n')
    specs, _ = caselib.discover(str(tmp_path))
    assert caselib.describe(specs) == {"k": {"axes": {"batch": [None, 34], "cell": ["gru", "lstm"]},
                                             "default": {"batch": None, "cell": "gru"}}}


def test_html_escapes_case_and_variant_strings(tmp_path):
    case = "evil<script>alert(1)</script>&co"
    pairs = [("mode", "<script>x</script>&y")]
    for name, version, status in (("tf18", "1.8.0", "none"), ("tf19", "1.9.0", "grad")):
        raw(tmp_path / f"{name}.json", version, case,
            [([("mode", "plain")], {("t&u", "<b>s</b>"): "grad"}),
             (pairs, {("t&u", "<b>s</b>"): status})],
            {"axes": {"mode": ["plain", pairs[0][1]]}, "default": {"mode": "plain"}})
    tables = report.build(tmp_path, envs=[])
    page = htmlreport.render(tables)
    assert "<script>" not in page and "<b>s</b>" not in page and "&co" not in page
    assert "evil&lt;script&gt;alert(1)&lt;/script&gt;&amp;co" in page
    assert "mode=&lt;script&gt;x&lt;/script&gt;&amp;y" in page
    assert "t&amp;u" in page and "&lt;b&gt;s&lt;/b&gt;" in page
