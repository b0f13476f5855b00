"""A bisect answer as the terminal shows it, as a Markdown block for a GitHub issue, and the
command that gives it again (host side). The answer itself is bisection.answer's plain dict."""
from __future__ import annotations

import shlex
from pathlib import Path

from harness.host.anyrelease.bisection import ref
from harness.host.anyrelease.probes import clock
from harness.host.envs import toxini
from harness.host.tables import nightly, values
from harness.host.tables.commands import shown_path
from harness.host.tables.matrix import version_key


def command(args) -> str:
    """The bisect command that gives this answer, as the user can run it again."""
    parts = ["python -m harness bisect"]
    if getattr(args, "script", None):
        parts.append(f"--script {shlex.quote(shown_path(args.script))}")
    elif args.cases.resolve() != (toxini.ROOT / "cases").resolve():
        parts.append(f"--cases {shlex.quote(shown_path(args.cases))}")
    parts += [f"--case {shlex.quote(args.case)}"] * bool(args.case)
    parts += [*[f"--variant {shlex.quote(v)}" for v in args.variant],
              f"--target {shlex.quote(args.target)}", f"--source {shlex.quote(args.source)}",
              f"--good {args.good}", f"--bad {args.bad}"]
    parts += [flag for flag, on in (("--pre", args.pre), ("--nightly", args.nightly),
                                    ("--value", args.value)) if on]
    if args.value and args.value_tol != values.DEFAULT_TOL:
        parts.append(f"--value-tol {args.value_tol:g}")
    out = getattr(args, "out", None)
    if out is not None and Path(out).resolve() != (toxini.ROOT / "results" / "raw").resolve():
        parts.append(f"--out {shlex.quote(shown_path(out))}")  # where its builds' results are
    return " ".join(parts)


def markdown(result: dict, command: str = "") -> list[str]:
    """The answer as a block that pastes into a GitHub issue as it is: the two adjacent builds with
    their commits and statuses, the upstream diff, what could not be tested and why."""
    def commit(which: str) -> str:
        git = result[which + "_git_version"]
        version = result[which]
        found = ref(version, git) or ""
        return f"`{found}`" if found else "unknown"

    def value(key: str) -> str:
        return f" {result[key]}".replace("|", "\\|") if result.get(key) else ""

    where = f" [{result['variant']}]" if result["variant"] else ""
    out = [f"**Bisected**: `{result['case']}`{where}, d `{result['target']}` / d "
           f"`{result['source']}` ({result['direction']} between these two adjacent builds)", "",
           "| | build | commit | status |", "|---|---|---|---|",
           f"| last old | {result['last_old_name']} | {commit('last_old')} | "
           f"`{result['old_status']}`{value('old_value')} |",
           f"| first new | {result['first_new_name']} | {commit('first_new')} | "
           f"`{result['new_status']}`{value('new_value')} |", ""]
    url = result["compare_url"]
    out.append(f"Upstream diff: {url}" if url else
               "Upstream diff: unknown (a build did not record its commit)")
    if result["untested_between"]:
        out += ["", "Not tested between them: " + ", ".join(result["untested_between"])]
    if result["skipped"]:
        out += ["", "Skipped:", *[f"- {s['version']}: {s['reason'][:300]}"
                                  for s in result["skipped"]]]
    tested = sorted(result["tested"], key=lambda t: version_key(t["version"]))
    out += ["", "Tested: " + ", ".join(f"{t['version']} `{t['status']}`" for t in tested)
            + effort(result, " (", ")")]
    if command:
        out += ["", f"Found with: `{command}`"]
    return out


def lines(result: dict) -> list[str]:
    """The answer for the terminal."""
    def named(which: str) -> str:
        text = result[which]
        return text + (f" ({result[which + '_name']})" if nightly.is_nightly(text) else "")

    old, new = (result[k] + (f" {result[v]}" if result.get(v) else "")
                for k, v in (("old_status", "old_value"), ("new_status", "new_value")))
    out = [f"last {old}: {named('last_old')}",
           f"first {new}: {named('first_new')}  "
           f"({result['direction']} there: --good {result['good']}, --bad {result['bad']})",
           f"upstream diff: {result['compare_url'] or 'unknown (a build did not record its commit)'}"]
    if result["untested_between"]:
        out.append("could not test the releases between them: "
                   + ", ".join(result["untested_between"]))
    tested = sorted(result["tested"], key=lambda t: version_key(t["version"]))
    out.append("tested: " + ", ".join(f"{t['version']} {t['status']}" for t in tested)
               + effort(result, " (", ")"))
    if result["skipped"]:
        by_reason: dict[str, list[str]] = {}
        for s in result["skipped"]:
            by_reason.setdefault(s["reason"], []).append(s["version"])
        out.append("skipped: " + "; ".join(f"{', '.join(vs)} ({reason})"
                                           for reason, vs in by_reason.items()))
    return out


def effort(result: dict, before: str = "", after: str = "") -> str:
    """'2 steps, 3 versions asked between the ends, 1:19 (m:ss)' ('' for an answer without them)."""
    if "steps" not in result:
        return ""
    return (f"{before}{result['steps']} step{'s' * (result['steps'] != 1)}, "
            f"{result.get('asked', result['steps'])} versions asked between the ends, "
            f"{clock(result.get('seconds', 0.0))} m:ss{after}")
