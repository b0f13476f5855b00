"""`python -m harness doctor`: per release, the interpreter that will be used or how to get it."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from harness.host.envs import interpreters, toxini


def rows(envs: list[toxini.TfEnv], pick=interpreters.pick) -> list[tuple[str, str, str, str]]:
    """(environment, minor, wanted interpreters, what will be used or what is missing)."""
    out = []
    for env in envs:
        spec, exe, origin = pick(env.base_python)
        used = f"{spec} = {exe} ({origin})" if spec else f"SKIPPED: {origin}"
        out.append((env.name, env.minor, ", ".join(env.base_python), used))
    return out


def tools() -> list[str]:
    """Host prerequisites that are missing, each with its fix."""
    missing = []
    for mod, fix in (("tox", "pip install -r requirements.txt"),
                     ("tox_uv", "pip install -r requirements.txt"),
                     ("pandas", "pip install -r requirements.txt")):
        try:
            __import__(mod)
        except ImportError:
            missing.append(f"{mod} is not installed for {sys.executable}: {fix}")
    if shutil.which("uv") is None and not missing:
        missing.append("uv not on PATH (tox-uv brings it): pip install -r requirements.txt")
    return missing


def add_arguments(parser) -> None:
    parser.add_argument("--tox-ini", type=Path, default=toxini.TOX_INI, help="the tox.ini to read")


def run(args) -> int:
    table = rows(toxini.read(args.tox_ini))
    widths = [max(len(r[i]) for r in table) for i in range(3)]
    print(f"{'env':<{widths[0]}}  {'minor':<{widths[1]}}  {'base_python':<{widths[2]}}  interpreter")
    for row in table:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}")
    skipped = sum(r[3].startswith("SKIPPED") for r in table)
    problems = tools()
    for line in problems:
        print(f"missing: {line}")
    print(f"{len(table) - skipped} of {len(table)} environments can run here"
          + (f"; {skipped} will be skipped" if skipped else ""))
    return 1 if problems else 0
