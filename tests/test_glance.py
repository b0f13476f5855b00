"""matrix.png leads with the change: changing columns by transition first, the steady rest as a band.

On frozen raw files of a real run (tests/data/raw_diag: tf18, tf19, tf221, three cases).
"""
import pandas as pd
import pytest
from PIL import Image

from harness.host.reports import glance, heatmap, report
from harness.host.envs import toxini
from harness.host.tables.variants import CaseVariants, Variants
from tests.conftest import DATA

SEED_CONV_BN = ["layer_cell/conv1d/kernel", "layer_cell/conv1d/bias", "layer_cell/bn/gamma",
                "layer_cell/bn/beta"]


@pytest.fixture(scope="module")
def diag():
    envs = [e for e in toxini.read() if e.name in ("tf18", "tf19", "tf221")]
    return report.build(DATA / "raw_diag", envs, pick=lambda specs: (specs[0], "x", "PATH"))


def test_changing_rows_come_first_under_their_transition(diag):
    rows, marks, title = heatmap.glance_rows(diag)
    assert rows[0].series is None and rows[0].label == "none → grad at 1.9.0 (19 columns)"
    changing = rows[1:20]
    assert all(r.series == ["none", "grad", "grad"] for r in changing)
    assert [r.label for r in changing[7:11]] == [
        f"seed_conv_bn_gru [default] new_state ← {s}" for s in SEED_CONV_BN]
    assert marks == [(1, 1, 20)]  # a line before 1.9.0 along the 19 changing rows
    assert title.startswith("Gradient status per release: 19 of 161 columns change")


def test_columns_that_never_change_are_one_row_per_case_and_history(diag):
    rows, _, _ = heatmap.glance_rows(diag)
    assert rows[20].series is None
    assert rows[20].label == "never change: 142 columns, one row per case and history"
    steady = rows[21:]
    assert [r.label for r in steady] == [
        "minimal_rnn_trigger: 24 × grad",
        "seed_conv_bn_gru: 74 × grad",
        "seed_conv_bn_gru: 10 × none (new_state ← output/dense/kernel, output/dense/bias)",
        "keras_conv_bn_gru: 14 × grad; skipped on 2 releases",
        "seed_conv_bn_gru [control_flow=v2]: 18 × grad; skipped on 2 releases",
        "seed_conv_bn_gru [control_flow=v2]: 2 × none (new_state ← output/dense/kernel, "
        "output/dense/bias); skipped on 2 releases"]
    assert sum(r.count for r in steady) == 142
    assert steady[3].series == ["skipped", "skipped", "grad"]


def test_a_case_without_variants_has_no_empty_variant_in_its_labels(diag):
    defaults = Variants(keras_conv_bn_gru=CaseVariants((), labels={"": ()}),
                        seed=CaseVariants((("batch", "None"),),
                                          labels={"batch=34": (("batch", "34"),)}))
    assert glance.row_label(("keras_conv_bn_gru", "", "state", "conv1d/kernel"), defaults) == \
        "keras_conv_bn_gru state ← conv1d/kernel"
    assert glance.group_label("keras_conv_bn_gru", "", "state", defaults) == "keras_conv_bn_gru · state"
    assert glance.group_label("seed", "batch=34", "out", defaults) == "seed · batch=34 · out"
    labels = [r.label for r in heatmap.glance_rows(diag)[0]]
    assert not any("[-]" in label or "[]" in label for label in labels)


def test_transition_label_names_the_last_old_release_only_across_a_gap():
    versions = ["1.4.1", "1.5.0", "1.8.0", "1.9.0"]
    assert glance.transition_label([("none", "grad", "1.8.0", "1.9.0")], versions) == \
        "none → grad at 1.9.0"
    assert glance.transition_label([("grad", "none", "1.4.1", "1.5.0"),
                                    ("none", "grad", "1.5.0", "1.9.0")], versions) == \
        "grad → none at 1.5.0, then none → grad at 1.9.0 (last none: 1.5.0)"


def test_sections_order_by_release_of_the_change_then_size():
    a, b, d, e = [("c", "v", "t", s) for s in "abde"]
    wide = pd.DataFrame({a: ["grad", "grad", "none"], b: ["none", "grad", "grad"],
                         d: ["none", "grad", "grad"], e: ["grad"] * 3},
                        index=["1.8.0", "1.9.0", "1.10.1"])
    trans = pd.DataFrame([["c", "v", "t", "a", "grad", "none", "1.9.0", "1.10.1"],
                          ["c", "v", "t", "b", "none", "grad", "1.8.0", "1.9.0"],
                          ["c", "v", "t", "d", "none", "grad", "1.8.0", "1.9.0"]],
                         columns=["case", "variant", "target", "source", "old_status", "new_status",
                                  "last_old", "first_new"])
    got = glance.changing_sections(wide, trans)
    assert [(s.label, s.columns) for s in got] == [
        ("none → grad at 1.9.0", [b, d]),
        ("grad → none at 1.10.1", [a])]
    assert [r.columns for r in glance.steady_rows(wide, {a, b, d})] == [[e]]


def test_the_headline_picture_is_a_fraction_of_the_full_one(diag, tmp_path):
    paths = heatmap.draw(diag, tmp_path)
    assert [p.name for p in paths] == ["matrix.png", "matrix.svg", "matrix-full.png",
                                       "matrix-full.svg"]
    glance_h = Image.open(tmp_path / "matrix.png").size[1]
    full_h = Image.open(tmp_path / "matrix-full.png").size[1]
    assert glance_h < full_h / 3  # 27 rows against 161


def test_report_html_puts_the_changing_rows_first_and_folds_the_rest(diag):
    from harness.host.reports import htmlreport
    page = htmlreport.render(diag)
    change = page.index("<h3>Columns that change (19 of 161)</h3>")
    steady = page.index("<h3>Columns that never change (142)</h3>")
    folded = page.index("<details><summary>All 142 columns that never change, one row each</summary>")
    assert change < steady < folded
    changing = page[change:steady]
    assert '<tr class="transition"><th colspan="4">none → grad at 1.9.0 (19 columns)</th></tr>' in changing
    assert changing.count('class="s change"') == 19  # the 1.9.0 cell of each changing row
    assert "minimal_rnn_trigger · pre=conv_bn · new_state" in changing
    assert "keras_conv_bn_gru" not in changing
    band = page[steady:folded]
    assert band.count("<tr>") == 1 + 6  # the header and one row per case and history
    assert "<td>seed_conv_bn_gru: 10 × none (new_state ← output/dense/kernel, output/dense/bias)</td>" in band
    rest = page[folded:page.index("</details>", folded)]
    assert rest.count("<tr><td>") == 142
    assert ">keras_conv_bn_gru · state</th>" in rest and "· - ·" not in page


def test_a_run_without_changes_shows_only_the_steady_rows():
    from harness.host.reports import htmlreport
    envs = [e for e in toxini.read() if e.name in ("tf18", "tf19", "tf221")]
    tables = report.build(DATA / "raw_diag", envs, pick=lambda specs: (specs[0], "x", "PATH"),
                          cases=["keras_conv_bn_gru"])
    rows, marks, _ = heatmap.glance_rows(tables)
    assert [r.label for r in rows] == [
        "no column changes: 14 columns, one row per case and history",
        "keras_conv_bn_gru: 14 × grad; skipped on 2 releases"]
    assert marks == []
    page = htmlreport.render(tables)
    assert "<p>No column changes" in page and "Columns that change" not in page
