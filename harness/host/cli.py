"""Host commands of `python -m harness` (Python >= 3.10, pandas); one line per user error.

Each command lives in its own module with `add_arguments(parser)` and `run(args) -> int`; COMMANDS
maps the command name to (module, help). Modules are imported only when their command runs.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from harness.host.errors import UserError

COMMANDS = {
    "report": ("harness.host.reports.report", "merge raw results into CSV tables and reports (beside the raw dir: results/ for results/raw)"),
    "doctor": ("harness.host.envs.doctor", "which interpreter each release will use, or what is missing"),
    "ci-matrix": ("harness.host.envs.cimatrix",
                  "the GitHub Actions job matrix from tox.ini (--json), or fill in missing results"),
    "repro": ("harness.host.anyrelease.repro", "write one cell as a standalone script with its exact pins"),
    "versions": ("harness.host.anyrelease.versions", "TensorFlow releases on the index, with interpreter and pins"),
    "run-releases": ("harness.host.anyrelease.installs", "run the cases in any releases of the index, outside tox.ini"),
    "bisect": ("harness.host.anyrelease.bisection", "find the release where one gradient's status changed"),
    "bisect-all": ("harness.host.anyrelease.sweep",
                   "narrow every finding of a report down at once (bisect.json, into report.md)"),
    "case-from-script": ("harness.host.casefile", "write the case file equivalent to a graph script"),
}


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m harness")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the cases in this TensorFlow environment (inside a tox env)")
    for name, (module, help_text) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text)
        if argv and argv[0] == name:
            importlib.import_module(module).add_arguments(cmd)
    return p


def main(argv: list[str]) -> int:
    args = _parser(argv).parse_args(argv)
    try:
        return importlib.import_module(COMMANDS[args.command][0]).run(args)
    except UserError as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 2
