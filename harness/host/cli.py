"""Host commands of `python -m harness` (Python >= 3.10, pandas); one line per user error."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.host.errors import UserError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m harness")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the cases in this TensorFlow environment (inside a tox env)")
    rep = sub.add_parser("report", help="merge raw results into results/*.csv")
    rep.add_argument("--raw", type=Path, default=Path("results/raw"),
                     help="directory of raw JSON files, or of artifact folders holding them")
    rep.add_argument("--out", type=Path, default=Path("results"), help="where the tables go")
    sub.add_parser("doctor", help="which interpreter each release will use, or what is missing")
    return p


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "report":
            from harness.host import report
            tables = report.build(args.raw)
            if tables.tidy.empty:
                raise UserError(f"{args.raw}: no results to report (run e.g. tox -e tf18 first)")
            for path in report.write(tables, args.out):
                print(f"wrote {path}")
            print("\n".join(report.summary(tables)))
            return 0
        if args.command == "doctor":
            from harness.host import doctor
            return doctor.main()
    except UserError as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 2
    return 2
