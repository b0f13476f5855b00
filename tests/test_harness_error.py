"""A failure of the harness's own code is never a TensorFlow finding (frozen raw files, host side).

A pair that reads `harness_error` on one release between two releases where it is `grad` makes no
transition and no value change; the report lists it first and exits 1. And the inside's rule for
whose exception it is, on exceptions raised here (no TensorFlow needed)."""
import json

from harness.host.reports import mdreport, report
from harness.inside import tferrors
from tests.conftest import ROOT
import subprocess
import sys

PAIR = ("new_state", "layer_cell/conv1d/kernel")
LABEL = "batch=None,input=direct,cell=gru,seq_len=inputs"


def _plant(raw_dir, env="tf115"):
    path = raw_dir / f"{env}.json"
    doc = json.loads(path.read_text())
    for cell in doc["cells"]:
        if cell["case"] == "seed_conv_bn_gru" and cell["variant_label"] == LABEL:
            for pair in cell["pairs"]:
                if (pair["target"], pair["source"]) == PAIR:
                    assert pair["status"] == "grad"
                    pair.update({"status": "harness_error", "detail": "harness error evaluating: "
                                 "KeyError: 'planted'\nsecond line (harness frames: x.py:1 in f)"})
                    pair.pop("value", None)
    path.write_text(json.dumps(doc))


def test_a_harness_error_between_grads_is_no_transition_and_no_value_change(raw_dir):
    before = report.build(raw_dir, envs=[])
    _plant(raw_dir)
    tables = report.build(raw_dir, envs=[])
    col = ("seed_conv_bn_gru", LABEL, *PAIR)
    assert tables.matrix.loc["1.15.5", col] == "harness_error"
    # the column's one transition (none -> grad at 1.9.0) stays; nothing moves to or from 1.15.5
    assert tables.transitions.equals(before.transitions)
    assert "1.15.5" not in set(tables.transitions["last_old"]) | set(tables.transitions["first_new"])
    assert len(tables.value_changes) == len(before.value_changes)
    assert [f.line() for f in tables.analysis.findings] == \
        [f.line() for f in before.analysis.findings]
    md = mdreport.render(tables, ROOT)
    assert md.index("## Failures of the harness") < md.index("## What changed")
    assert "- 1.15.5 seed_conv_bn_gru [batch=None,input=direct,cell=gru,seq_len=inputs] d " \
           "new_state / d layer_cell/conv1d/kernel: harness error evaluating: KeyError: " \
           "'planted'" in md


def test_the_report_of_a_harness_error_exits_1_after_writing_everything(raw_dir, tmp_path):
    _plant(raw_dir)
    proc = subprocess.run([sys.executable, "-m", "harness", "report", "--raw", str(raw_dir),
                           "--out", str(tmp_path), "--no-plots"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 result(s) are failures of the harness's own code (harness_error): exit status 1" \
        in proc.stdout
    assert (tmp_path / "report.md").exists() and (tmp_path / "gradients.csv").exists()


def _raise_here():
    raise ValueError("first line\nsecond line")


def test_an_exception_raised_in_harness_code_is_the_harness_s_with_its_whole_message():
    try:
        _raise_here()
    except ValueError as exc:
        assert not tferrors.raised_by_harness(exc)  # tests/ is not the harness
    try:
        tferrors.missing_api(None)  # raises TypeError inside harness/inside/tferrors.py
    except TypeError as exc:
        assert tferrors.raised_by_harness(exc)
        text = tferrors.harness_detail("testing", exc)
        assert text.startswith("harness error testing: TypeError: ")
        assert "harness frames: harness/inside/tferrors.py:" in text and "in missing_api" in text
    try:
        json.loads("{")  # raised in the standard library, called from here
    except ValueError as exc:
        assert not tferrors.raised_by_harness(exc)
