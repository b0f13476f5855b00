"""Diagnosis sections, on frozen raw files of a real run with the numeric check and break points."""
import pandas as pd
import pytest

from harness.host.reports import mdreport
from harness.host.tables import diagnosis, load
from harness.host.tables.variants import CaseVariants, Variants
from tests.conftest import DATA
from tests.test_load import CONV_BN

SEED_DEFAULT = "batch=None,input=cond,cell=gru,seq_len=inputs,control_flow=v1"
MINIMAL_DEFAULT = "batch=None,cell=gru,dropout=none,initial_state=zeros,pre=scale"
SCATTER = ("rnn_model/rnn/TensorArrayUnstack/TensorArrayScatter/TensorArrayScatterV3 "
           "(TensorArrayScatterV3)")


@pytest.fixture(scope="module")
def loaded():
    """tf18, tf19 and tf221 of `tox -p -- --out /tmp/diag-raw` with every case of cases/."""
    docs, problems = load.load_dir(DATA / "raw_diag")
    return load.tidy(docs, problems), load.variants(docs)


@pytest.fixture(scope="module")
def tidy(loaded):
    return loaded[0]


class _An:
    """What mdreport's diagnosis sections read of an analysis."""

    def __init__(self, tidy, variants):
        self.break_points = diagnosis.break_points(tidy)
        self.triggers = diagnosis.triggers(tidy, variants)


def sections(tidy, variants):
    an = _An(tidy, variants)
    return mdreport.break_points(an) + mdreport.triggers(an)


def variants_of(default, *labels):
    """A one-case registry: labels 'a=1' with one axis each, the first of labels the default."""
    pairs = {label: tuple(tuple(p.split("=")) for p in label.split(",")) for label in labels}
    return Variants(c=CaseVariants(pairs[default], labels=pairs, declared=True))


def test_break_op_column_for_the_seed_on_1_8(tidy):
    rows = tidy[(tidy["variant"] == SEED_DEFAULT) & (tidy["target"] == "new_state")
                & tidy["source"].isin(CONV_BN)]
    got = {(r.tf_version, r.source): (r.status, r.break_op) for r in rows.itertuples()}
    for source in CONV_BN:
        assert got[("1.8.0", source)] == ("none", SCATTER)
        assert got[("1.9.0", source)] == ("grad", "")
    assert set(tidy.loc[tidy["status"] != "none", "break_op"]) == {""}


def test_old_raw_files_without_the_new_fields_still_load(raw_dir):
    tidy = load.tidy(*load.load_dir(raw_dir))
    assert set(tidy["break_op"]) == {""} and set(tidy["status"]) == {"grad", "none"}


def test_no_false_mismatch_or_zero_on_real_releases(tidy):
    assert not tidy["status"].isin(["mismatch", "zero"]).any()


def test_break_point_table_names_the_op_and_the_release(loaded):
    lines = mdreport.break_points(_An(*loaded))
    assert lines[0] == "## Where backprop stops"
    seed = [ln for ln in lines if ln.startswith(f"| seed_conv_bn_gru | {SEED_DEFAULT} |")]
    assert seed == [f"| seed_conv_bn_gru | {SEED_DEFAULT} | new_state | {', '.join(CONV_BN)} | "
                    f"`{SCATTER}` | 1.8.0 |"]
    assert not any("output/dense" in ln for ln in lines), "no forward path: no break op"


def test_triggers_state_the_single_changes_backed_by_cells(loaded):
    lines = mdreport.triggers(_An(*loaded))
    text = "\n".join(lines)
    assert (f"- **seed_conv_bn_gru** [{SEED_DEFAULT}] d new_state / d ({', '.join(CONV_BN)}) is "
            "`none` on 1.8.0.") in lines
    assert "  - A single change makes it `grad`: batch=34, cell=lstm." in lines
    assert "  - Not needed (changing it keeps `none`): input=direct, seq_len=none." in lines
    assert f"- **minimal_rnn_trigger** [{MINIMAL_DEFAULT}] d new_state / d (w) is `none` on 1.8.0." \
        in lines
    assert "  - A single change makes it `grad`: batch=4, cell=lstm." in lines
    assert "  - Not needed (changing it keeps `none`): dropout=wrapper, initial_state=placeholder." \
        in lines
    assert "1.9.0" not in text and "2.21.0" not in text  # nothing flips there
    assert "control_flow=v2" not in text  # skipped on 1.8: not a comparison


def test_markdown_sections_are_both_sections(loaded):
    lines = sections(*loaded)
    assert [ln for ln in lines if ln.startswith("## ")] == ["## Where backprop stops",
                                                            "## What triggers it"]


def test_nothing_to_say_is_no_lines():
    df = pd.DataFrame([{"tf_version": v, "case": "c", "variant": "a=1", "target": "t",
                        "source": "s", "status": "grad", "break_op": ""} for v in ("1.8", "1.9")])
    assert sections(df, variants_of("a=1", "a=1")) == []


def test_the_default_is_the_runners_not_the_first_label():
    rows = [("1.8", "a=2", "none"), ("1.8", "a=1", "grad"), ("1.8", "a=3", "none")]
    df = pd.DataFrame([{"tf_version": v, "case": "c", "variant": lab, "target": "t", "source": "s",
                        "status": st, "break_op": ""} for v, lab, st in rows])
    got = diagnosis.triggers(df, variants_of("a=1", "a=2", "a=1", "a=3"))
    assert [(t.default, t.status, t.other) for t in got] == [("a=1", "grad", ["a=2 (none)",
                                                                               "a=3 (none)"])]
    no_default = variants_of("a=1", "a=1")
    no_default["c"].labels = {"a=2": (("a", "2"),)}
    assert diagnosis.triggers(df, no_default) == []  # the default did not run: nothing to compare


def test_other_statuses_are_named():
    rows = [("1.8", "a=1", "none"), ("1.8", "a=2", "error"), ("1.8", "a=3", "none")]
    df = pd.DataFrame([{"tf_version": v, "case": "c", "variant": lab, "target": "t", "source": "s",
                        "status": st, "break_op": ""} for v, lab, st in rows])
    assert mdreport.triggers(_An(df, variants_of("a=1", "a=1", "a=2", "a=3")))[4:7] == [
        "- **c** [a=1] d t / d (s) is `none` on 1.8.",
        "  - A single change gives another status: a=2 (error).",
        "  - Not needed (changing it keeps `none`): a=3."]

