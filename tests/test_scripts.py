"""Script mode without TensorFlow: a script's call sites and their names (callsites), the runner's
--script options, and the commands a report of a script's results hands out."""
import argparse
from pathlib import Path

import pytest

from harness.host.anyrelease import answers
from harness.host.tables import commands
from harness.inside.running import cli
from harness.inside.sources import callsites
from tests.conftest import ROOT

SCRIPTS = ROOT / "tests" / "scripts"


def test_call_sites_are_named_by_their_source_text_and_first_line():
    text = (SCRIPTS / "seed_question.py").read_text()
    found = callsites.sites(text, "seed_question.py")
    assert [s.name for s in found] == ["new_state @ line 66"]
    assert found[0].sources == []  # tf.trainable_variables(): named by the variables themselves


def test_a_call_over_several_lines_keeps_one_name_and_names_its_listed_tensors():
    text = ("import tensorflow as tf\n"
            "g = tf.gradients(\n"
            "    loss[0] + f(a, (b, c)),  # the target\n"
            "    [x, y['k, ]']])\n"
            "h = tape.jacobian(out, w)\n")
    one, two = callsites.sites(text, "s.py")
    assert (one.name, one.line, one.last) == ("loss[0] + f(a, (b, c)) @ line 2", 2, 4)
    assert one.sources == ["x", "y['k, ]']"]
    assert two.name == "out @ line 5" and two.sources == []


@pytest.mark.parametrize("name, mode", [("seed_question", "graph"), ("keras_tape", "eager"),
                                        ("wrong_custom_gradient", "eager"),
                                        ("no_gradient", "graph")])
def test_a_script_is_graph_unless_it_uses_a_tape_and_no_tf1_api(name, mode):
    spec = callsites.inspect(str(SCRIPTS / f"{name}.py"))
    assert (spec.kind, spec.mode, spec.problem) == ("script", mode, None)


def test_a_script_that_does_not_parse_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import tensorflow as tf\nx = (\n")
    assert callsites.inspect(str(bad)).problem.startswith("SyntaxError: ")
    assert str(bad) in callsites.inspect(str(bad)).problem


def test_script_runs_write_to_their_own_folder_and_exclude_cases(capsys):
    args = cli.parse_args(["--script", "tests/scripts/seed_question.py"])
    assert args.out == str(Path("results/scripts/seed_question/raw"))
    assert cli._options(args).get("compat", True)
    assert cli._options(cli.parse_args(["--script", "x.py", "--no-compat"]))["compat"] is False
    with pytest.raises(SystemExit):
        cli.parse_args(["--script", "x.py", "--case", "seed_conv_bn_gru"])
    assert "--script runs one script instead of case files" in capsys.readouterr().err


def test_a_scripts_commands_name_the_script_never_a_cases_folder():
    repro = commands.Repro("seed_question", "tf18,tf19", "1.8.0", "tests/scripts",
                           "tests/scripts/seed_question.py")
    lines = repro.commands(Path("results/scripts/seed_question/raw"),
                           Path("results/scripts/seed_question"))
    assert lines[1] == ("tox -e tf18,tf19 -- --script tests/scripts/seed_question.py --out "
                        "results/scripts/seed_question/raw && tox -e report -- --raw "
                        "results/scripts/seed_question/raw --out results/scripts/seed_question")
    assert lines[2].startswith("tox -e tf18 --notest && .tox/tf18/bin/python "
                               "tests/scripts/seed_question.py")
    assert not any("--cases" in line or "--case " in line for line in lines)
    docs = [{"run": {"script": str(SCRIPTS / "seed_question.py"),
                     "cases_dir": str(ROOT / "cases")}}]
    assert commands.tox_args(docs, "results/raw") == " -- --script tests/scripts/seed_question.py"
    assert commands.tox_args([{"run": {"cases_dir": str(ROOT / "cases")}}], "results/raw") == ""
    assert commands.tox_args([{"run": {"cases_dir": str(ROOT / "cases" / "known")}}],
                             "results/known/raw") == " -- --cases cases/known --out results/known/raw"


def test_the_bisect_answer_gives_its_command_with_the_script():
    args = argparse.Namespace(script=SCRIPTS / "seed_question.py", cases=ROOT / "cases", case=None,
                              variant=[], target="new_state @ line 66", source="bn/gamma",
                              good="1.9.0", bad="1.8.0", pre=False, nightly=False, value=False,
                              value_tol=1e-3)
    assert answers.command(args) == ("python -m harness bisect --script "
                                     "tests/scripts/seed_question.py --target "
                                     "'new_state @ line 66' --source bn/gamma --good 1.9.0 "
                                     "--bad 1.8.0")
