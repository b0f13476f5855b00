"""`python -m harness bisect-all`: every finding of a report narrowed down at once (host side).

Each finding's search is the `bisect` command report.md prints beside it (tables.commands.
bisect_args), run one after the other: a build that one search ran is an earlier result for the
next that needs the same case there (probes.earlier), never run twice. The answers (or, with
--dry-run, each search's size) go to bisect.json beside the report, which report.md then shows under
each finding; the report is written again.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from harness.host.anyrelease import bisection
from harness.host.errors import UserError
from harness.host.tables import commands, findings
from harness.host.tables.matrix import version_key

FILE = "bisect.json"
KEEP = ("case", "variant", "target", "source", "last_old", "first_new", "old_status",
        "new_status", "last_old_name", "first_new_name", "compare_url", "untested_between",
        "skipped", "steps", "seconds", "old", "new", "searchable")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, default=Path(commands.DEFAULT_RAW),
                        help="the report's raw dir (default: results/raw); its tables beside it")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the report and bisect.json go (default: beside DIR, as the "
                             "report's)")
    parser.add_argument("--dry-run", action="store_true",
                        help="resolve every finding's search on the index and say its steps; run "
                             "nothing")
    parser.add_argument("--no-plots", action="store_true", help="write the report without pictures")
    parser.add_argument("--drop-envs", action="store_true",
                        help="each search deletes the environments it creates (bisect --drop-envs)")


def searches(tables, raw: Path) -> list[list[str]]:
    """The bisect arguments of every finding of the report (tables) of raw, as report.md prints
    them."""
    out = []
    for f, _ in findings.across_variants(tables.analysis.changes):
        args = commands.bisect_args(tables.analysis, f, raw)
        if args and args not in out:
            out.append(args)
    return out


def companions(argv: list[str], later: list[list[str]]) -> list[str]:
    """--also for the cases of the later searches over the same window, folder and raw dir: each
    build this search runs, it runs for them too, and their searches find it done (and prefer it:
    a build with results is cheap), even where environments are dropped after each step."""
    def window(a: list[str]) -> tuple:
        keep = ("--cases", "--good", "--bad", "--out")
        return tuple((k, a[a.index(k) + 1]) for k in keep if k in a) + (("--script" in a),)
    cases = [a[a.index("--case") + 1] for a in later if "--case" in a and window(a) == window(argv)]
    own = argv[argv.index("--case") + 1] if "--case" in argv else None
    return [x for c in dict.fromkeys(cases) if c != own for x in ("--also", c)] \
        if "--script" not in argv else []


def run(args: argparse.Namespace) -> int:
    from harness.host.reports import report
    tables = report.build(args.raw)
    todo = searches(tables, args.raw)
    if not todo:
        raise UserError(f"{args.raw}: no finding to narrow down (report.md has no bisect command)")
    parser = argparse.ArgumentParser(prog="python -m harness bisect")
    bisection.add_arguments(parser)
    entries = []
    for i, argv in enumerate(todo, 1):
        command = findings.bisect_command(argv)
        print(f"[{i}/{len(todo)}] {command}", flush=True)
        bisect_args = parser.parse_args(argv + ["--dry-run"] * args.dry_run
                                        + ["--drop-envs"] * args.drop_envs
                                        + companions(argv, todo[i:]))
        try:
            result = bisection.search(bisect_args, lambda text: print(f"  {text}", flush=True))
        except UserError as exc:
            entries.append({"command": command, "error": str(exc)})
            print(f"  harness: {exc}", flush=True)
            continue
        entries.append({"command": command, "dry_run": args.dry_run,
                        **{k: result[k] for k in KEEP if k in result}})
        if "old_value" in result:
            entries[-1].update(old_value=result["old_value"], new_value=result["new_value"])
    out = args.out or report.tables_dir(args.raw)
    out.mkdir(parents=True, exist_ok=True)
    (out / FILE).write_text(json.dumps({"bisections": entries}, indent=1) + "\n")
    print(f"wrote {out / FILE}")
    if not args.dry_run:  # the searches' builds are rows of the raw dir now
        tables = report.build(args.raw)
    for path in report.write(tables, out, plots=not args.no_plots):
        print(f"wrote {path}")
    failed = [e for e in entries if "error" in e]
    if failed:
        print(f"harness: {len(failed)} of {len(entries)} searches could not run (see above)",
              file=sys.stderr)
    return 1 if failed else 0


def read(out_dir: Path) -> list[dict]:
    """The entries of the bisect.json beside a report ([] without one)."""
    path = Path(out_dir) / FILE
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    return [e for e in doc.get("bisections", []) if "command" in e]


def entry_for(entries: list[dict], f: findings.Finding, command: str) -> dict | None:
    """The search made for finding f: the one of the command report.md prints for it, else one of
    the same case, variant, target and one of its sources whose window is inside f's. The probes of
    a search land in the raw dir, so the report written after it may show a narrower window (and
    print another command) than the one searched."""
    same = [e for e in entries if e["command"] == command]
    if same:
        return same[0]
    lo, hi = version_key(f.last_old), version_key(f.first_new)
    for entry in entries:
        if "error" in entry:
            continue
        ends = (entry.get("last_old") or entry.get("old"), entry.get("first_new") or entry.get("new"))
        if (entry.get("case"), entry.get("variant"), entry.get("target")) == (
                f.case, f.variant, f.target) and entry.get("source") in f.sources and all(ends) \
                and lo <= version_key(ends[0]) and version_key(ends[1]) <= hi:
            return entry
    return None


def final(entry: dict | None, f: findings.Finding) -> bool:
    """Whether a search's answer is the finding's window itself, with nothing untested inside, or
    a dry run found no build between its ends: no command narrows it further."""
    if not entry:
        return False
    if entry.get("dry_run"):
        return entry.get("searchable", 3) <= 2
    return "last_old" in entry and (entry["last_old"], entry["first_new"]) == (
        f.last_old, f.first_new) and not entry.get("untested_between")


def line(entry: dict) -> str:
    """What report.md says under a finding of the search bisect-all made for it."""
    if "error" in entry:
        return f"bisect-all could not narrow it down: {entry['error']}"
    if entry.get("dry_run"):
        inner = entry["searchable"] - 2
        if inner <= 0:
            return (f"{entry['old']} and {entry['new']} are adjacent builds on the index: the "
                    f"window is already as narrow as it gets (`bisect-all --dry-run`)")
        steps = entry["steps"]
        return (f"{inner} build{'s' * (inner != 1)} on the index between {entry['old']} and "
                f"{entry['new']}: about {steps} step{'s' * (steps != 1)} (`bisect-all --dry-run`)")
    what = (f"{entry['old_value']} at {entry['last_old_name']}, {entry['new_value']} at "
            f"{entry['first_new_name']}") if "old_value" in entry else (
        f"`{entry['old_status']}` at {entry['last_old_name']}, `{entry['new_status']}` at "
        f"{entry['first_new_name']}")
    link = f" ([compare]({entry['compare_url']}))" if entry.get("compare_url") else ""
    untested = entry.get("untested_between") or []
    gap = f"; not testable between them: {', '.join(untested)}" if untested else ""
    steps = entry.get("steps", 0)
    return f"narrowed down (bisect-all, {steps} step{'s' * (steps != 1)}): {what}{link}{gap}"

