"""`tox -p -- ARGS` hands the runner's arguments to the report environment as well."""
import argparse
from pathlib import Path

import pytest

from harness.host.reports import report


def parse(*argv):
    parser = argparse.ArgumentParser()
    report.add_arguments(parser)
    return report.from_runner_args(parser.parse_args(list(argv)))


def test_runner_options_that_only_concern_the_runner_are_ignored():
    args = parse("--runner-args", "--rerun", "--no-numeric", "--timeout", "60")
    assert (args.raw, args.out, args.case) == (Path("results/raw"), Path("results"), [])


def test_the_runners_out_and_cases_say_what_to_report():
    args = parse("--runner-args", "--cases", "cases/known", "--out", "results/known/raw",
                 "--case", "gelu_api", "cumprod_zero", "--case", "qr_wide_grad")
    assert args.raw == Path("results/known/raw") and args.out == Path("results/known")
    assert args.case == ["gelu_api", "cumprod_zero", "qr_wide_grad"]
    assert parse("--runner-args", "--out", "myresults").out == Path("myresults")


def test_without_runner_args_the_report_options_stand():
    args = parse("--raw", "a/raw", "--out", "b", "--case", "x")
    assert (args.raw, args.out, args.case) == (Path("a/raw"), Path("b"), ["x"])


def test_an_option_the_runner_does_not_know_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        parse("--runner-args", "--no-such-option")
    assert exc.value.code == 2
    assert "--no-such-option" in capsys.readouterr().err


def test_report_options_after_runner_args_are_the_reports_own():
    """`tox -e report -- --raw DIR --out DIR` keeps meaning what it meant."""
    args = parse("--runner-args", "--raw", "a/raw", "--out", "tables", "--case", "x", "--no-plots")
    assert (args.raw, args.out, args.case, args.no_plots) == (Path("a/raw"), Path("tables"), ["x"], True)
    args = parse("--runner-args", "--value-tol=0.01", "--out", "tables")
    assert (args.raw, args.out, args.value_tol) == (Path("results/raw"), Path("tables"), 0.01)


def test_abbreviated_report_options_are_the_reports_own_too():
    args = parse("--runner-args", "--only", "--value", "0.01", "--raw", "r")
    assert args.only_changing and args.value_tol == 0.01 and args.raw == Path("r")
    assert parse("--runner-args", "--no-p").no_plots


def test_without_out_the_tables_go_beside_the_raw_dir_never_into_another_runs_results():
    """`report --raw results/known/raw` wrote the corpus's tables over results/ (the seed's)."""
    assert parse().out == Path("results")
    assert parse("--raw", "results/known/raw").out == Path("results/known")
    assert parse("--raw", "artifacts").out == Path("artifacts")
    assert parse("--runner-args", "--raw", "build/x/raw").out == Path("build/x")
