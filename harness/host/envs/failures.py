"""Why a tox environment never reached its commands, from what tox wrote in this run (host side).

Standard library only: toxfile.py imports it inside tox's own process. Nothing here runs a command or
touches the network: the evidence is tox's own log of each command it ran for the environment
(`env_log_dir`, one `<n>-<run_id>.log` per command: `run_id: install_deps`, `exit_code: 1`, then the
command's stdout and, after `standard error:`, its stderr). tox empties that folder when it starts
setting the environment up, and only files written since this tox process started count.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from harness.inside.running import rawfile

# uv's decorations around its error message, and its progress lines, which say nothing about why.
_DECORATION = " ×╰─▶│├─"
_NOISE = re.compile(r"^(Using (CPython|Python)|Resolved \d|Prepared \d|Installed \d|Audited \d|"
                    r"Uninstalled \d|Downloading|Building|Built)")
FAILED_SUFFIX = ".failed"


@dataclass(frozen=True)
class Logged:
    """One command tox ran for an environment, as its log file records it."""

    path: Path
    run_id: str
    exit_code: int | None
    out: str
    err: str


def read_log(path: Path) -> Logged | None:
    """One of tox's per-command log files; None when it is not one."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    head, sep, body = text.partition("\nexit_code: ")
    if not sep:
        return None
    code_text, _, output = body.partition("\n")
    run_id = next((ln[len("run_id: "):] for ln in head.splitlines() if ln.startswith("run_id: ")), "")
    out, _, err = output.partition("standard error:\n")
    try:
        code = int(code_text.strip())
    except ValueError:
        code = None
    return Logged(path, run_id.strip(), code, out, err)


def logs_since(log_dir: Path, started: float) -> list[Logged]:
    """The commands tox logged in `log_dir` since `started` (this run), in the order tox ran them."""
    found = []
    try:
        paths = list(log_dir.glob("*.log"))
    except OSError:
        return []
    for path in paths:
        try:
            if path.stat().st_mtime < started:
                continue
        except OSError:
            continue
        logged = read_log(path)
        if logged is not None:
            found.append(logged)

    def order(item: Logged) -> tuple[int, str]:
        number = item.path.name.split("-", 1)[0]
        return (int(number) if number.isdigit() else 0, item.path.name)

    return sorted(found, key=order)


def message(logged: Logged, limit: int = 600) -> str:
    """The installer's own words for its failure: its error lines, without progress or decoration."""
    lines = [ln.strip().strip(_DECORATION).strip() for ln in (logged.err or logged.out).splitlines()]
    lines = [ln for ln in lines if ln and not _NOISE.match(ln)]
    start = next((i for i, ln in enumerate(lines)
                  if ln.lower().startswith(("error", "no solution", "because")) or "failed" in ln.lower()),
                 max(len(lines) - 5, 0))
    text = " ".join(lines[start:])
    return text if len(text) <= limit else text[:limit - 3] + "..."


def install_detail(pins: list[str], logged: Logged | None, log_dir: Path) -> str:
    """What the raw file says about a failed install: the pins and the installer's message."""
    wanted = " ".join(pins) or "the environment's dependencies"
    words = message(logged) if logged is not None else ""
    if words:
        return f"cannot install {wanted}: {words}"
    where = logged.path if logged is not None else log_dir
    code = f" (exit code {logged.exit_code})" if logged is not None else ""
    return f"cannot install {wanted}{code}: the installer said nothing more; see tox's log {where}"


def is_failure_doc(path: Path) -> bool:
    """Whether `path` holds a failed-environment document (install_failed, skipped), not results."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and bool(doc.get("env_status")) and not doc.get("cells")


def record(out_dir: Path, env_name: str, minor: str, status: str, detail: str) -> Path:
    """Write the failed-environment document; results already in `<env>.json` are never replaced.

    `<env>.json` is written when it is absent or itself a failure document. When it holds a run's
    results (cells, or anything the plugin did not write), those stay and the failure goes beside
    them as `<env>.json.failed`, which the report does not read.
    """
    target = out_dir / f"{env_name}.json"
    if target.exists() and not is_failure_doc(target):
        target = out_dir / f"{env_name}.json{FAILED_SUFFIX}"
    rawfile.write(str(target), rawfile.failed_env(env_name, minor, status, detail))
    return target


def forget(out_dir: Path, env_name: str) -> None:
    """Drop a failure note left beside results by an earlier run: this run reached its commands."""
    note = out_dir / f"{env_name}.json{FAILED_SUFFIX}"
    try:
        note.unlink()
    except FileNotFoundError:
        pass
