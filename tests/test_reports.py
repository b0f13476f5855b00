"""report.md, report.html, the heatmap and repro, on frozen files of a real run."""
import json
from pathlib import Path
import re

import markdown
import pytest

from harness.host.reports import htmlreport, mdreport, report
from harness.host.anyrelease import repro
from harness.host.envs import interpreters, toxini
from harness.host.errors import UserError
from harness.inside.sources import cases as caselib
from tests.conftest import ROOT


def tables(raw_dir, **kw):
    envs = [e for e in toxini.read() if e.name in ("tf18", "tf19", "tf115", "tf221")]
    return report.build(raw_dir, envs, pick=lambda specs: (specs[0], "x", "PATH"), **kw)


def test_report_md_begins_with_the_1_9_transition_of_the_seed_case(raw_dir):
    md = mdreport.render(tables(raw_dir), ROOT)
    changes = md.split("## What changed\n\n", 1)[1].splitlines()
    # one change shared by several variants of the case is one line that lists them
    assert changes[0] == (
        "- `seed_conv_bn_gru` [default; input=direct; seq_len=none]: d `new_state` / d "
        "(`layer_cell/conv1d/kernel`, `layer_cell/conv1d/bias`, `layer_cell/bn/gamma`, "
        "`layer_cell/bn/beta`) is `none` up to 1.8.0 and `grad` from **1.9.0**")
    assert sum(line.startswith("- `seed_conv_bn_gru`") for line in changes[:changes.index("")]) == 1
    assert len(md) < mdreport.GITHUB_COMMENT_LIMIT


def test_report_md_renders_its_tables(raw_dir):
    md = mdreport.render(tables(raw_dir), ROOT)
    html = markdown.markdown(md, extensions=["tables", "fenced_code"])
    assert "<th>TF release</th>" in html
    # the rows' release counts add up to the 4 frozen releases: 1.8.0 alone, then 3
    assert re.findall(r"</td>\n<td>(\d+)</td>\n<td>(?:none|grad)</td>", html) == ["1", "3"]
    assert "<td>1.9.0 – 2.21.0</td>\n<td>3</td>\n<td>grad</td>" in html
    assert "<td>1.8.0</td>\n<td>1</td>\n<td>none</td>" in html
    assert "<th>git version</th>" in html and "v1.8.0-0-g93bc2e2072" in html
    assert html.count("<table>") == 2  # the changing columns and the environments


def test_report_md_folds_packages_of_the_releases_at_the_transition(raw_dir):
    md = mdreport.render(tables(raw_dir), ROOT)
    assert "<details><summary>1.8.0: tensorflow 1.8.0, numpy 1.19.5, protobuf 3.19.6</summary>" in md
    assert "<details><summary>1.9.0:" in md and "<details><summary>2.21.0:" not in md
    # results read from outside the checkout: the commands name where (they run as printed)
    assert (f"tox -e tf18,tf19 -- --case seed_conv_bn_gru --out {raw_dir}; tox -e report -- "
            f"--raw {raw_dir} --out {raw_dir.parent}") in md
    assert f"python -m harness repro --case seed_conv_bn_gru --tf 1.8.0 --raw {raw_dir}   #" in md
    assert "def build(tf, batch=None" in md  # the case's source


def test_only_changing_drops_the_unchanged_list(raw_dir):
    full = mdreport.render(tables(raw_dir), ROOT)
    short = mdreport.render(tables(raw_dir), ROOT, only_changing=True)
    assert "The columns that do not change" in full
    assert "The columns that do not change" not in short and len(short) < len(full)


def test_case_filter_and_unknown_case(raw_dir):
    assert set(tables(raw_dir, cases=["seed_conv_bn_gru"]).tidy["case"]) == {"seed_conv_bn_gru"}
    with pytest.raises(UserError, match="no results for case nope .*cases with results: "
                                        "seed_conv_bn_gru"):
        tables(raw_dir, cases=["nope"])


def test_html_escapes_strings_from_cases_and_exceptions(raw_dir):
    doc = json.loads((raw_dir / "tf19.json").read_text())
    doc["cells"][0] = dict(doc["cells"][0], status="error", pairs=[],
                           detail="build() raised RuntimeError: <script>alert('x')</script>")
    doc["cells"][1]["pairs"][0]["source"] = "evil<b>name</b>"
    (raw_dir / "tf19.json").write_text(json.dumps(doc))
    page = htmlreport.render(tables(raw_dir))
    assert "<script>alert" not in page and "<b>name" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "evil&lt;b&gt;name&lt;/b&gt;" in page
    assert "http" not in page.replace('lang="en"', "")  # self-contained: no external assets


def test_write_makes_every_file_and_a_png(raw_dir, tmp_path):
    paths = report.write(tables(raw_dir), tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["gradients.csv", "matrix-full.png", "matrix-full.svg", "matrix.csv",
                     "matrix.png", "matrix.svg", "report.html", "report.md", "transitions.csv",
                     "value_changes.csv"]
    assert (tmp_path / "matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_repro_script_drops_the_case_main_and_pins_exactly(raw_dir, tmp_path):
    spec = caselib.inspect(str(ROOT / "cases" / "seed_conv_bn_gru.py"))
    docs = [json.loads((raw_dir / "tf18.json").read_text())]
    doc = repro.find_release(docs, "1.8")
    command = repro.write(ROOT / "cases" / "seed_conv_bn_gru.py", spec,
                          repro.parse_variant(spec, ["batch=34"]), repro.Release.of_run(doc),
                          tmp_path)
    script = (tmp_path / "repro.py").read_text()
    assert script.count('if __name__ == "__main__":') == 1
    expected = dict((axis, values[0]) for axis, values in spec.axes)
    expected["batch"] = 34
    assert f"VARIANT = {expected!r}" in script
    assert "harness" not in script.replace("tf-regression-harness", "")
    reqs = (tmp_path / "requirements.txt").read_text().split()
    assert "tensorflow==1.8.0" in reqs and "protobuf==3.19.6" in reqs
    # the interpreter as doctor finds it: an absolute path that runs as it stands (a bare
    # python3.6 is a pyenv shim that fails where 3.6 is not the selected version)
    exe, _ = interpreters.find("python3.6")
    assert command.startswith(f"{exe} -m venv venv") and exe.is_absolute()


def test_repro_without_recorded_results_takes_tox_ini_pins_and_says_so(tmp_path):
    spec = caselib.inspect(str(ROOT / "cases" / "seed_conv_bn_gru.py"))
    env = toxini.by_name()["tf18"]
    release = repro.Release.of_tox_ini(env, "1.8.0", tmp_path / "raw")
    command = repro.write(ROOT / "cases" / "seed_conv_bn_gru.py", spec, {}, release, tmp_path)
    reqs = (tmp_path / "requirements.txt").read_text().split("\n")
    assert "tensorflow==1.8.0" in reqs and "protobuf<3.20" in reqs
    script = (tmp_path / "repro.py").read_text()
    header = " ".join(ln[2:] for ln in script.splitlines() if ln.startswith("# "))
    assert header.startswith("no recorded run of TensorFlow 1.8.0 in") and "tox.ini's pins of tf18" in header
    assert "-m venv venv" in command and not command.startswith("python3.6 ")
    minor = repro.Release.of_tox_ini(toxini.by_name()["tf221"], "2.21", tmp_path)
    assert minor.version == "2.21" and "tensorflow-cpu==2.21.*" in minor.requirements
    assert minor.legacy_keras and "tf-keras==2.21.*" in minor.requirements


def test_repro_suggestions_name_commands_that_exist():
    assert repro.how_to_run("1.8.0") == "run e.g. tox -e tf18"
    assert repro.how_to_run("2.21") == "run e.g. tox -e tf221"
    assert "run-releases 1.5.1" in repro.how_to_run("1.5.1")
    three = repro.how_to_run("3.0")
    assert "tox -e tf30" not in three and "3.0 is no minor of tox.ini" in three
    assert "run-releases X.Y.Z" in three


def test_repro_bad_input_names_what_exists(raw_dir):
    spec = caselib.inspect(str(ROOT / "cases" / "seed_conv_bn_gru.py"))
    with pytest.raises(UserError, match="unknown variant axis 'color' .*axes: batch, input"):
        repro.parse_variant(spec, ["color=red"])
    docs = [json.loads((raw_dir / name).read_text()) for name in ("tf18.json", "tf19.json")]
    with pytest.raises(UserError, match=r"no results for TensorFlow 1\.5 .*1\.8\.0, 1\.9\.0"):
        repro.find_release(docs, "1.5")


def nightly_tables(raw_dir, status="none"):
    """The frozen tf221 run again as the nightly 2.23.0.dev20261026, one pair changed to `status`."""
    doc = json.loads((raw_dir / "tf221.json").read_text())
    doc["env_name"] = "tfnightly"
    doc["env"].update(tf_version="2.23.0.dev20261026", tf_git_version="v1.12.1-148158-gef696751006")
    pair = doc["cells"][0]["pairs"][0]
    old = pair["status"]
    pair["status"] = status or old
    (raw_dir / "tfnightly.json").write_text(json.dumps(doc))
    envs = [e for e in toxini.read() if e.name in ("tf18", "tf19", "tf115", "tf221", "tfnightly")]
    return report.build(raw_dir, envs, pick=lambda specs: (specs[0], "x", "PATH")), old, doc, pair


def nightly_line(lines: list[str]) -> int:
    """Where the nightly's sentence is: right after the findings of '## What changed' (the finding
    first, then the nightly comparison)."""
    start = lines.index("## What changed") + 2
    end = lines.index("", start)
    assert lines[end + 1] != "" and not lines[end + 1].startswith("#"), lines[end:end + 2]
    return end + 1


def test_report_md_opens_with_what_the_nightly_changes_against_the_last_release(raw_dir):
    got, old, doc, pair = nightly_tables(raw_dir)
    assert list(got.matrix.index)[-2:] == ["2.21.0", "2.23.0.dev20261026"]
    lines = mdreport.render(got, ROOT).splitlines()
    at = nightly_line(lines)
    assert lines[at] == ("Against 2.21.0, the last release, the **nightly of 2026-10-26 (commit "
                         "ef696751006)** (2.23.0.dev20261026) changes 1 column:")
    assert lines[at + 2] == (f"- `{doc['cells'][0]['case']}` [{doc['cells'][0]['variant_label']}] d "
                        f"`{pair['target']}` / d `{pair['source']}`: `{old}` -> `none`")
    md = "\n".join(lines)
    assert "from **nightly of 2026-10-26 (commit ef696751006)**" in md
    assert "| 2.23.0.dev20261026, nightly of 2026-10-26 (commit ef696751006) |" in md


def test_report_md_says_when_the_nightly_changes_nothing_or_did_not_run(raw_dir):
    got, old, _, _ = nightly_tables(raw_dir, status=None)
    lines = mdreport.render(got, ROOT).splitlines()
    assert "changes nothing" in lines[nightly_line(lines)]
    (raw_dir / "tfnightly.json").unlink()
    from harness.inside.running import rawfile
    rawfile.write(str(raw_dir / "tfnightly.json"), rawfile.failed_env(
        "tfnightly", "nightly", "install_failed", "No solution found when resolving dependencies"))
    envs = [e for e in toxini.read() if e.name in ("tf221", "tfnightly")]
    got = report.build(raw_dir, envs, pick=lambda specs: (specs[0], "x", "PATH"))
    assert list(got.matrix.index)[-1] == "nightly"
    lines = mdreport.render(got, ROOT).splitlines()
    assert lines[nightly_line(lines)] == (
        "The nightly build did not run: install_failed (see Environments).")


def test_reproduce_commands_name_every_directory_that_is_not_the_default(tmp_path):
    from harness.host.tables.commands import Repro
    plain = Repro("seed_conv_bn_gru", "tf18,tf19", "1.8.0")
    assert plain.commands(Path("results/raw"), Path("results"))[1:] == [
        "tox -e tf18,tf19 -- --case seed_conv_bn_gru; tox -e report",
        "python -m harness repro --case seed_conv_bn_gru --tf 1.8.0   # standalone script + pins"]
    known = Repro("cumprod_zero", "tf221,tfnightly", "2.21.0", "cases/known")
    assert known.commands(ROOT / "results/known/raw", ROOT / "results/known")[1:] == [
        "tox -e tf221,tfnightly -- --cases cases/known --case cumprod_zero --out results/known/raw; "
        "tox -e report -- --raw results/known/raw --out results/known",
        "python -m harness repro --case cumprod_zero --tf 2.21.0 --cases cases/known --raw "
        "results/known/raw   # standalone script + pins"]
    mine = Repro("so_feeds", "tf18", "1.8.0", str(tmp_path / "my cases"))
    assert f"--cases '{tmp_path}/my cases' --case so_feeds" in mine.commands(
        Path("results/raw"), Path("results"))[1]
