"""Where results come from (host side): the runs' harness commit, dates and hosts, the cells carried
over from earlier runs by the result cache, newer partial runs, and the devices each release saw.

Each function returns the sentences both report.md's header and the terminal summary show.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from harness.inside.running.rawfile import PARTIAL


@dataclass
class PartialRun:
    """A run that has not replaced its environment's raw file (interrupted, or still running)."""

    env_name: str
    path: Path
    cells: int | None  # None: the file cannot be read
    started: str


def partial_runs(raw_dir: Path) -> list[PartialRun]:
    """The <env>.json.partial files of a directory (and one level down), never environments."""
    if not raw_dir.is_dir():
        return []
    out = []
    for path in sorted([*raw_dir.glob("*.json" + PARTIAL), *raw_dir.glob("*/*.json" + PARTIAL)]):
        name = path.name[:-len(".json" + PARTIAL)]
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            cells, started = len(doc["cells"]), str(doc.get("run", {}).get("started", ""))
        except (OSError, ValueError, KeyError, TypeError):
            cells, started = None, ""
        out.append(PartialRun(name, path, cells, started))
    return out


def origin_lines(docs: list[dict], partials: list[PartialRun]) -> list[str]:
    """Where the results come from, for every view: the runs, the cells carried over, newer partial
    runs (the lines that apply, in that order)."""
    return [line for line in (runs_line(docs), carried_line(docs), *partial_lines(partials)) if line]


def partial_lines(partials: list[PartialRun]) -> list[str]:
    """One line per newer partial run: the complete results shown are the earlier ones."""
    out = []
    for p in partials:
        what = "unreadable" if p.cells is None else f"{p.cells} cell{'s' if p.cells != 1 else ''}"
        since = f", started {p.started}" if p.started else ""
        out.append(f"{p.env_name}: a newer partial run exists ({p.path.name}: {what}{since}); "
                   f"the results shown are those of the earlier complete run")
    return out


def carried_line(docs: list[dict]) -> str:
    """How many cells the result cache carried over from earlier runs, or '' when none."""
    total = sum(len(d["cells"]) for d in docs)
    by_env = [(d["env_name"], sum(1 for c in d["cells"] if c.get("carried_over")), len(d["cells"]))
              for d in docs]
    carried = sum(n for _, n, _ in by_env)
    if not carried:
        return ""
    envs = ", ".join(f"{name} {n}/{of}" for name, n, of in by_env if n)
    return (f"{carried} of {total} cells carried over from earlier runs (their inputs did not "
            f"change; `--rerun` runs them again): {envs}")


def runs_line(docs: list[dict]) -> str:
    """'Runs: harness 0.1.0 (commit ...), 2026-11-27 - 2026-11-28, on host vm' from the raw files."""
    if not docs:
        return ""
    harnesses, hosts, dates = {}, {}, []
    for doc in docs:
        run = doc.get("run", {})
        label = f"{run.get('harness_version', 'unknown')} (commit {run.get('harness_commit') or 'unknown'})"
        harnesses[label] = harnesses.get(label, 0) + 1
        host = run.get("host") or "unknown"
        hosts[host] = hosts.get(host, 0) + 1
        stamp = run.get("finished") or run.get("started") or ""
        if stamp:
            dates.append(stamp[:10])

    def counted(seen: dict[str, int]) -> str:
        if len(seen) == 1:
            return next(iter(seen))
        return ", ".join(f"{k} ({n} environment{'s' if n != 1 else ''})" for k, n in seen.items())

    span = "" if not dates else (f", {min(dates)}" if min(dates) == max(dates)
                                 else f", {min(dates)} – {max(dates)}")
    return f"Runs: harness {counted(harnesses)}{span}, on host {counted(hosts)}"


def devices_line(docs: list[dict]) -> str:
    """The devices the environments report, instead of assuming them."""
    seen: dict[str, list[str]] = {}
    for doc in docs:
        devices = doc["env"].get("devices")
        key = ", ".join(devices) if devices else "not recorded (older raw file)"
        seen.setdefault(key, []).append(doc["env"].get("tf_version") or doc["env_name"])
    if not seen:
        return ""
    if len(seen) == 1:
        return f"Devices: {next(iter(seen))} in every environment."
    return "Devices: " + "; ".join(f"{key} in {', '.join(envs)}" for key, envs in seen.items()) + "."
