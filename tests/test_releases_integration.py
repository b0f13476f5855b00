"""A real bisection over 1.8.0 - 1.10.1: real index, real uv environments (cached), real TensorFlow."""
import json
import re
import shlex

import pandas as pd
import pytest

from tests.conftest import ROOT, harness

pytestmark = pytest.mark.integration
KERNEL = "layer_cell/conv1d/kernel"


def bisect(raw):
    proc = harness("bisect", "--case", "seed_conv_bn_gru", "--target", "new_state", "--source",
                   KERNEL, "--good", "1.10.1", "--bad", "1.8.0", "--out", str(raw), "--json")
    return json.loads(proc.stdout), proc.stderr


def test_bisect_finds_the_1_9_fix_and_reuses_its_results(tmp_path):
    raw = tmp_path / "raw"
    got, steps = bisect(raw)
    assert (got["last_old"], got["first_new"]) == ("1.8.0", "1.9.0")
    assert (got["old_status"], got["new_status"], got["direction"]) == ("none", "grad", "fixed")
    assert got["compare_url"] == "https://github.com/tensorflow/tensorflow/compare/v1.8.0...v1.9.0"
    assert sorted(t["version"] for t in got["tested"]) == ["1.10.1", "1.8.0", "1.9.0"]
    assert got["skipped"] == [] and "1.9.0" in steps
    assert sorted(p.name for p in raw.glob("*.json")) == [
        "rel-1.10.1.json", "rel-1.8.0.json", "rel-1.9.0.json"]

    again, steps = bisect(raw)
    assert again["first_new"] == "1.9.0"
    assert {t["result"] for t in again["tested"]} == {t["result"] for t in got["tested"]}
    assert steps.count("earlier result") == 3

    out = tmp_path / "tables"
    harness("report", "--raw", str(raw), "--out", str(out))
    grads = pd.read_csv(out / "gradients.csv", keep_default_na=False)
    assert {"1.8.0", "1.9.0", "1.10.1"} <= set(grads["tf_version"])


def printed_bisects():
    """The bisect commands the committed reports hand out, as printed."""
    out = []
    for report in ("results/report.md", "results/known/report.md", "results/extended/report.md"):
        text = (ROOT / report).read_text(encoding="utf-8")
        out += re.findall(r"narrow it down: `(python -m harness bisect [^`]+)`", text)
    return out


def test_every_bisect_command_of_the_committed_reports_resolves_as_printed():
    commands = printed_bisects()
    narrowed = sum((ROOT / r).read_text(encoding="utf-8").count("narrowed down (bisect-all")
                   for r in ("results/report.md", "results/known/report.md"))
    assert len(commands) + narrowed >= 10 and commands
    for command in commands:
        args = shlex.split(command)[3:]  # after 'python -m harness'
        proc = harness(*args, "--dry-run", timeout=600)
        assert proc.stdout.strip().splitlines()[-1].startswith("dry run: "), command


def test_one_printed_bisect_command_runs_end_to_end():
    """The minimal case's 1.4.1 -> 1.5.1 window of results/extended/report.md, release candidates
    included (the windows of results/ and results/known are all final: bisect-all)."""
    (command,) = [c for c in printed_bisects() if "--case minimal_rnn_trigger --target" in c]
    args = shlex.split(command)[3:]
    raw = ROOT / (args[args.index("--out") + 1] if "--out" in args else "results/raw")
    before = set(raw.glob("rel-*.json")) if raw.is_dir() else set()
    try:
        proc = harness(*args, "--json", timeout=3000)
    finally:
        for path in set(raw.glob("rel-*.json")) - before:  # leave the checkout as it was
            path.unlink()
    got = json.loads(proc.stdout)
    assert (got["old_status"], got["new_status"]) == ("grad", "none")  # introduced in 1.5
    assert got["last_old"] in ("1.4.1", "1.5.0rc0", "1.5.0rc1") and got["first_new"] in (
        "1.5.0rc0", "1.5.0rc1", "1.5.0", "1.5.1")
    assert got["skipped"] == [] or all("install" in s["reason"] for s in got["skipped"])


def test_bisect_all_narrows_every_finding_of_a_report_and_the_report_says_so(tmp_path):
    """One finding (igamma's gradient, none on 1.9.0, grad on 1.10.1): bisect-all runs the command
    report.md prints for it, writes bisect.json and the report shows the answer under it."""
    from tests.conftest import tox
    raw = tmp_path / "raw"
    tox("run-parallel", "-p", "2", "-e", "tf19,tf110", "--", "--cases", "cases/known", "--case",
        "igamma_grad_a", "--out", str(raw))
    proc = harness("bisect-all", "--raw", str(raw), "--no-plots", timeout=3000)
    assert "[1/1] python -m harness bisect --cases cases/known --case igamma_grad_a" in proc.stdout
    (entry,) = json.loads((tmp_path / "bisect.json").read_text())["bisections"]
    assert (entry["old_status"], entry["new_status"]) == ("none", "grad")
    assert entry["first_new"] in ("1.10.0rc0", "1.10.0rc1", "1.10.0", "1.10.1")
    report = (tmp_path / "report.md").read_text()
    # the probes are results of the raw dir now: the finding's window is the answer's, final
    assert f"`grad` from **{entry['first_new']}**" in report and "narrow it down" not in report
    assert (f"narrowed down (bisect-all, {entry['steps']} step{'s' * (entry['steps'] != 1)}): "
            f"`none` at release {entry['last_old']}, `grad` at release {entry['first_new']} "
            f"([compare]({entry['compare_url']}))") in report


def test_a_nonfinite_to_grad_change_bisects_through_the_nightly_builds(tmp_path):
    """norm_zero_eager (#12071): NaN on 2.21.0, [0, 0] on the nightly of 2026-10-26; the search
    installs nightly builds two at a time, dropping each after its step, and names two adjacent
    builds with their commits (the corpus's bisect-all found 2026-08-09 -> 2026-08-23)."""
    proc = harness("bisect", "--cases", "cases/known", "--case", "norm_zero_eager", "--target", "n",
                   "--source", "x", "--good", "2026-10-26", "--bad", "2.21.0", "--out",
                   str(tmp_path), "--drop-envs", "--markdown", timeout=3000)
    block = proc.stdout
    assert "| last old | nightly of 2026-08-09 (commit 8c2da370ce9) | `8c2da370ce9` | `nonfinite` |" \
        in block
    assert "| first new | nightly of 2026-08-23 (commit 64fbb70af66) | `64fbb70af66` | `grad` |" \
        in block
    assert "Upstream diff: https://github.com/tensorflow/tensorflow/compare/8c2da370ce9..." \
           "64fbb70af66" in block
    assert not list(tmp_path.glob("*.partial"))
