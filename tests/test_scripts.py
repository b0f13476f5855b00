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
                        "results/scripts/seed_question/raw; tox -e report -- --raw "
                        "results/scripts/seed_question/raw --out results/scripts/seed_question")
    assert lines[2].startswith("tox -e tf18 --notest && .tox/tf18/bin/python "
                               "tests/scripts/seed_question.py")
    assert not any("--cases" in line or "--case " in line for line in lines)
    # from the cells' case files as recorded (relative), never the run's absolute cases_dir: the
    # frozen raw files of the golden tests were made in another checkout
    def doc(case_file, kind=None):
        cell = {"case": "c", "case_file": case_file, **({"kind": kind} if kind else {})}
        return [{"run": {"cases_dir": "/elsewhere/cases"}, "cells": [cell]}]
    assert commands.tox_args(doc("tests/scripts/seed_question.py", "script"), "results/raw") == \
        " -- --script tests/scripts/seed_question.py"
    assert commands.tox_args(doc("cases/seed_conv_bn_gru.py"), "results/raw") == ""
    assert commands.tox_args(doc("cases/known/igamma_grad_a.py"), "results/known/raw") == \
        " -- --cases cases/known --out results/known/raw"


def test_the_bisect_answer_gives_its_command_with_the_script():
    args = argparse.Namespace(script=SCRIPTS / "seed_question.py", cases=ROOT / "cases", case=None,
                              variant=[], target="new_state @ line 66", source="bn/gamma",
                              good="1.9.0", bad="1.8.0", pre=False, nightly=False, value=False,
                              value_tol=1e-3)
    assert answers.command(args) == ("python -m harness bisect --script "
                                     "tests/scripts/seed_question.py --target "
                                     "'new_state @ line 66' --source bn/gamma --good 1.9.0 "
                                     "--bad 1.8.0")


def test_the_case_from_the_seed_script_is_its_code_in_build_with_the_call_as_target(tmp_path):
    from harness.host import casefile
    from harness.inside.sources import cases
    text = casefile.case_text(SCRIPTS / "seed_question.py", "seed_case")
    assert "import tensorflow as tf\n" not in text.split("def build(tf):")[1].split("return {")[0]
    assert "tf.Session()" not in text and "print('**', g)" not in text
    assert "    output, new_state = model(inputs)\n" in text
    build = text.split("def build(tf):")[1].split("\nif __name__")[0]
    assert "'new_state @ line 66': new_state," in build and '"sources"' not in build
    path = tmp_path / "seed_case.py"
    path.write_text(text)
    spec = cases.inspect(str(path))
    assert (spec.problem, spec.mode, spec.axes) == (None, "graph", [])


def test_a_case_from_a_script_keeps_listed_sources_and_second_derivatives(tmp_path):
    from harness.host import casefile
    script = tmp_path / "second.py"
    script.write_text('"""doc"""\nimport tensorflow as tf\n'
                      "tf.disable_v2_behavior()\n"
                      "x = tf.Variable([1.0, 2.0], name='x')\n"
                      "y = tf.reduce_sum(x ** 3)\n"
                      "g = tf.gradients(y, [x])\n"
                      "h = tf.gradients(g[0], x)\n"
                      "with tf.Session() as sess:\n    print(sess.run(h))\n")
    text = casefile.case_text(script)
    build = text.split("def build(tf):")[1].split("\nif __name__")[0]
    assert "    g = tf.gradients(y, [x])\n" in build  # read by the second call: kept
    assert "h = tf.gradients" not in build and "disable_v2_behavior()" not in build
    assert "'y @ line 6': y," in text and "'g[0] @ line 7': g[0]," in text
    assert '"sources": _named(list(_listed([x])) + list(_listed(x))),' in text
    namespace = {}
    exec(compile(text, "second_case.py", "exec"), namespace)  # it is Python
    assert callable(namespace["build"]) and callable(namespace["_named"])


def test_case_from_script_refuses_an_eager_script_in_one_line():
    from harness.host import casefile
    from harness.host.errors import UserError
    with pytest.raises(UserError, match="an eager script .GradientTape.: case files from scripts "
                                        "are graph cases; run it as it is: python -m harness run "
                                        "--script"):
        casefile.case_text(SCRIPTS / "keras_tape.py")


def test_a_script_that_gave_no_gradient_is_said_on_the_first_screen_with_why():
    import pandas as pd

    from harness.host.tables import analysis
    tidy = pd.DataFrame([
        {"case": "raises", "target": "*", "source": "*", "tf_version": v, "status": "error",
         "detail": f"the script raised ValueError: stop (raises.py:4) [{v}]"}
        for v in ("1.8.0", "2.21.0")] + [
        {"case": "fine", "target": "*", "source": "*", "tf_version": "1.8.0", "status": "error",
         "detail": "x"},
        {"case": "fine", "target": "y @ line 3", "source": "w", "tf_version": "2.21.0",
         "status": "grad", "detail": ""}])
    (only,) = analysis.unrecorded(tidy)
    assert only.sentence(md=True) == (
        "`raises`: no gradient to judge on 1.8.0, 2.21.0: error: the script raised ValueError: "
        "stop (raises.py:4) [2.21.0]")
    advice = analysis.Unchecked("s", ["2.21.0"], "InvalidArgumentError: x", 2, script=True)
    assert "Feed its placeholders in the script's first `Session.run`" in advice.sentence(md=True)
    assert "Give the case" in analysis.Unchecked("c", ["2.21.0"], "x", 2).sentence()


def test_builds_outside_tox_ini_are_reproduced_by_run_releases_never_as_tox_environments():
    repro = commands.Repro("cumprod_zero", "tf24", "2.4.4", "cases/known",
                           releases=["2.5.0", "2.22.0.dev20260627"])
    line = repro.commands(Path("results/known/raw"), Path("results/known"))[1]
    assert line == ("tox -e tf24 -- --cases cases/known --case cumprod_zero --out "
                    "results/known/raw; python -m harness run-releases 2.5.0 "
                    "2.22.0.dev20260627 --cases cases/known --case cumprod_zero --out "
                    "results/known/raw; tox -e report -- --raw results/known/raw --out "
                    "results/known")
    only = commands.Repro("s", "", "1.4.1", "tests/scripts", "tests/scripts/s.py", ["1.4.1"])
    lines = only.commands(Path("results/raw"), Path("results"))
    assert lines[1:] == ["python -m harness run-releases 1.4.1 --script tests/scripts/s.py; "
                         "tox -e report"]
