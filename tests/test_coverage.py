"""Releases without results never move a finding (issue 24), on frozen files of a real run."""
import argparse
import json

import pandas as pd

from harness.host.envs import toxini
from harness.host.reports import htmlreport, mdreport, report
from harness.inside.running import rawfile
from tests.conftest import ROOT
from tests.test_load import CONV_BN, SEED, SEED_VARIANT

ENVS = ("tf18", "tf19", "tf115", "tf221")


def envs():
    return [e for e in toxini.read() if e.name in ENVS]


def tables(raw_dir):
    return report.build(raw_dir, envs(), pick=lambda specs: (specs[0], "x", "PATH"))


def seed_lines(lines):
    return [ln for ln in lines if ln.startswith(f"  {SEED} [{SEED_VARIANT}] d new_state")]


def test_all_releases_ran_the_finding_is_at_1_9(raw_dir):
    t = tables(raw_dir)
    assert t.no_results == [] and t.blind_ends == []
    assert seed_lines(report.summary(t)) == [
        f"  {SEED} [{SEED_VARIANT}] d new_state / d ({', '.join(CONV_BN)}): none -> grad at 1.9.0 "
        "(last none: 1.8.0)"]
    assert "Releases without results" not in mdreport.render(t, ROOT)


def test_a_release_not_run_places_the_change_between_its_neighbours(raw_dir):
    (raw_dir / "tf19.json").unlink()
    t = tables(raw_dir)
    assert [(n.release, n.status) for n in t.no_results] == [("1.9", "not run")]
    # the matrix keeps an empty row for it, in its place
    assert list(t.matrix.index) == ["1.8.0", "1.9", "1.15.5", "2.21.0"]
    assert t.matrix.loc["1.9"].isna().all()
    # terminal: the missing release first, then the finding "between", never "at 1.15.5"
    lines = report.summary(t)
    assert lines[1].startswith("1 release of the matrix has no result")
    assert lines[2].startswith("  1.9 (tf19): not run: no result file in ")
    assert seed_lines(lines) == [
        f"  {SEED} [{SEED_VARIANT}] d new_state / d ({', '.join(CONV_BN)}): none -> grad between "
        "1.8.0 and 1.15.5 (1.9 has no result: not run)"]
    assert not any(" at 1.15.5" in ln for ln in lines)
    # transitions.csv names the release with no result inside the window
    trans = t.transitions
    seed = trans[(trans["variant"] == SEED_VARIANT) & (trans["source"] == CONV_BN[0])
                 & (trans["target"] == "new_state")]
    assert seed[["last_old", "first_new", "no_result_between"]].values.tolist() == [
        ["1.8.0", "1.15.5", "1.9"]]
    # report.md: the releases without results open the report, the finding says where it can be
    md = mdreport.render(t, ROOT)
    head = md.split("## What changed", 1)[0]
    assert "## Releases without results" in head and "**1.9 (tf19)**: not run" in head
    finding = next(ln for ln in md.splitlines() if ln.startswith(f"- `{SEED}` [default"))
    assert finding.endswith("is `none` up to 1.8.0 and `grad` from 1.15.5; it changed **between "
                            "1.8.0 and 1.15.5**, not known where: 1.9 has no result: not run")
    assert "**1.15.5**" not in md.split("## What changed", 1)[1].split("##", 1)[0]
    # report.html: a visible column for it, with why
    page = htmlreport.render(t, ROOT)
    assert '<th class="rel none" title="not run: no result file tf19.json in' in page
    assert page.index("<h2>Releases without results</h2>") < page.index("<h2>What changed</h2>")


def test_a_failed_release_is_named_with_the_installers_words(raw_dir):
    (raw_dir / "tf19.json").unlink()
    rawfile.write(str(raw_dir / "tf19.json"), rawfile.failed_env(
        "tf19", "1.9", "install_failed", "No solution found: tensorflow==1.9.* has no wheel"))
    t = tables(raw_dir)
    assert seed_lines(report.summary(t)) == [
        f"  {SEED} [{SEED_VARIANT}] d new_state / d ({', '.join(CONV_BN)}): none -> grad between "
        "1.8.0 and 1.15.5 (1.9 has no result: install_failed: No solution found: tensorflow==1.9.* "
        "has no wheel)"]
    lines = report.summary(t)
    assert "  1.9 (tf19): install_failed: No solution found: tensorflow==1.9.* has no wheel" in lines


def test_a_missing_first_release_is_said_first_and_nothing_is_called_unchanged(raw_dir):
    (raw_dir / "tf18.json").unlink()
    t = tables(raw_dir)
    md = mdreport.render(t, ROOT)
    lines = md.splitlines()
    assert lines[2] == "## Releases without results"
    top = "\n".join(lines[:12])
    assert "**1.8 (tf18)**: not run" in top
    assert "1.8 has no result: a change before 1.9.0 cannot be seen." in top
    what = md.split("## What changed\n\n", 1)[1].split("\n\n", 1)[0]
    assert what.startswith("Nothing: every column has the same status in every release that ran; "
                           "1.8 did not (see Releases without results).")
    summary = report.summary(t)
    assert "  1.8 has no result: a change before 1.9.0 cannot be seen." in summary
    assert any(ln.startswith("no transitions") and "1 without" in ln for ln in summary)
    page = htmlreport.render(t, ROOT)
    assert "1.8 did not (see Releases without results)" in page


def test_a_pair_with_no_outcome_in_the_window_is_named_too(raw_dir):
    """A release that ran but skipped or lost the pair (no outcome) is part of the window."""
    import json
    doc = json.loads((raw_dir / "tf19.json").read_text())
    for cell in doc["cells"]:
        if cell["case"] == SEED and cell.get("variant_label") == SEED_VARIANT:
            cell.update(status="skipped", pairs=[], detail="declined by the case")
    (raw_dir / "tf19.json").write_text(json.dumps(doc))
    line = seed_lines(report.summary(tables(raw_dir)))
    assert line == [f"  {SEED} [{SEED_VARIANT}] d new_state / d ({', '.join(CONV_BN)}): none -> "
                    "grad between 1.8.0 and 1.15.5 (1.9.0 has no result: skipped: declined by the "
                    "case)"]


def test_report_exit_status_is_1_while_a_release_has_no_result(raw_dir, tmp_path, monkeypatch,
                                                                 capsys):
    ours = envs()
    monkeypatch.setattr(toxini, "read", lambda path=toxini.TOX_INI: ours)
    parser = argparse.ArgumentParser()
    report.add_arguments(parser)

    def run():
        return report.run(parser.parse_args(["--raw", str(raw_dir), "--out", str(tmp_path / "o"),
                                             "--no-plots"]))

    assert run() == 0
    # not run (no raw file): named, not a failure of this report (`tox -p` fails the environment
    # itself when its setup or run breaks before writing anything)
    (raw_dir / "tf19.json").unlink()
    assert run() == 0
    assert "1.9 (tf19): not run: no result file in " in capsys.readouterr().out
    # failed: exit status 1, and every output is still written
    rawfile.write(str(raw_dir / "tf19.json"), rawfile.failed_env(
        "tf19", "1.9", "install_failed", "No solution found"))
    assert run() == 1
    out = capsys.readouterr().out
    assert "harness: 1 release(s) of tox.ini failed or could not run (1.9): exit status 1" in out
    assert pd.read_csv(tmp_path / "o" / "transitions.csv", dtype=str)["no_result_between"].eq("1.9").any()
    # could not run here (no interpreter): exit status 1 too
    rawfile.write(str(raw_dir / "tf19.json"), rawfile.failed_env(
        "tf19", "1.9", "skipped", "none of python3.6 found"))
    assert run() == 1


def test_the_picture_and_the_html_matrix_say_between_not_at(raw_dir):
    from harness.host.reports import glance
    (raw_dir / "tf19.json").unlink()
    changing, _ = glance.sections(tables(raw_dir))
    labels = [s.label for s in changing]
    assert "none → grad between 1.8.0 and 1.15.5 (1.9: no result)" in labels
    assert not any("at 1.15.5" in label for label in labels)


def _keep_tf19_cells(raw_dir, keep):
    """tf19.json with only the cells keep(cell) returns (a copy of each, renamed as keep says)."""
    path = raw_dir / "tf19.json"
    doc = json.loads(path.read_text())
    doc["cells"] = [c for c in (keep(dict(c)) for c in doc["cells"]) if c]
    rawfile.write(str(path), doc)


def test_a_release_that_ran_other_cases_only_says_so_not_no_row(raw_dir):
    """A build that ran other cases only (a bisection's probe of another case, a --case run) sits
    in the finding's window: it says the case was not run there, not 'no row for this pair'."""
    _keep_tf19_cells(raw_dir, lambda c: dict(c, case="another_case"))
    md = mdreport.render(tables(raw_dir), ROOT)
    finding = next(ln for ln in md.splitlines() if ln.startswith(f"- `{SEED}` [default"))
    assert finding.endswith("not known where: 1.9.0 has no result: this case was not run there "
                            "(other cases were)")


def test_a_release_that_ran_the_case_but_lacks_the_pair_says_no_row(raw_dir):
    def without_pair(cell):
        cell["pairs"] = [p for p in cell.get("pairs", []) if p["source"] != CONV_BN[0]]
        return cell

    _keep_tf19_cells(raw_dir, without_pair)
    md = mdreport.render(tables(raw_dir), ROOT)
    assert "1.9.0 has no result: no row for this pair" in md
