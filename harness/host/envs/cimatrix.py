"""`python -m harness ci-matrix`: tox.ini's TensorFlow environments as a GitHub Actions job matrix.

The workflow .github/workflows/regression-matrix.yml reads its job list from here and nowhere else.
Each job gets the newest interpreter of its base_python: actions/setup-python on ubuntu-latest for
Python >= 3.9, the official python:X.Y-slim image for older ones (host side, Python >= 3.10).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from harness.host.envs import interpreters, toxini
from harness.host.errors import UserError
from harness.inside.running import rawfile
from harness.schema import SKIPPED

# actions/setup-python has no builds of 3.8 and older for ubuntu-24.04 (ubuntu-latest).
SETUP_PYTHON_FROM = (3, 9)
IMAGE = "python:{}-slim"
# Python 3.6 comes with pip 18, which fails on today's index; pip 22 dropped 3.6.
PIP = {(3, 6): "pip<22"}
# A job that left no raw file says nothing about TensorFlow: skipped keeps it out of transitions.
NO_RESULT = (SKIPPED, "CI job cancelled, timed out or failed before the runner started "
                      "(see the workflow run's log)")


def job(env: toxini.TfEnv, inherited: dict[str, str]) -> dict:
    """One matrix entry: what a job needs to provision, install and run one environment."""
    version = interpreters.parse_spec(env.base_python[0])
    python = "{}.{}".format(*version)
    set_env = {k: v.replace("{env_name}", env.name) for k, v in {**inherited, **env.set_env}.items()}
    return {
        "env": env.name,
        "minor": env.minor,
        "python": python,
        "container": "" if version >= SETUP_PYTHON_FROM else IMAGE.format(python),
        "pip": PIP.get(version, "pip"),
        # Newline-separated: the job writes them to a requirements file and to $GITHUB_ENV as they are.
        "deps": "\n".join(env.deps),
        "set_env": "\n".join(f"{k}={v}" for k, v in set_env.items()),
    }


def jobs(path: Path = toxini.TOX_INI) -> list[dict]:
    """The matrix entries of every TensorFlow environment, in tox.ini's env_list order."""
    inherited = toxini.base_set_env(path)
    return [job(env, inherited) for env in toxini.read(path)]


def fill_missing(raw_dir: Path, path: Path = toxini.TOX_INI) -> list[Path]:
    """Write a raw file for every environment without one in raw_dir; returns the files written."""
    # Imported here: load needs pandas, which the job that prints the matrix does not install.
    from harness.host.tables import load

    present = {p.stem for p in load.raw_files(raw_dir)}
    written = []
    for env in toxini.read(path):
        if env.name not in present:
            target = raw_dir / f"{env.name}.json"
            rawfile.write(str(target), rawfile.failed_env(env.name, env.minor, *NO_RESULT))
            written.append(target)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='one line {"include": [...]} for fromJSON in the workflow')
    parser.add_argument("--fill-missing", type=Path, metavar="RAW_DIR",
                        help="write a skipped raw file for each environment with none in RAW_DIR "
                             "(or its artifact folders)")
    parser.add_argument("--tox-ini", type=Path, default=toxini.TOX_INI, help="the tox.ini to read")


def _table(entries: list[dict]) -> list[str]:
    rows = [(e["env"], e["minor"], e["python"], e["container"] or "actions/setup-python",
             ", ".join(e["deps"].splitlines())) for e in entries]
    rows.insert(0, ("env", "TF", "Python", "provisioned by", "deps"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return ["  ".join(f"{cell:<{w}}" for cell, w in zip(r, widths)) + "  " + r[4] for r in rows]


def run(args: argparse.Namespace) -> int:
    if args.fill_missing is not None:
        if not args.fill_missing.is_dir():
            raise UserError(f"{args.fill_missing}: no such directory (download the artifacts first)")
        written = fill_missing(args.fill_missing, args.tox_ini)
        for target in written:
            print(f"wrote {target} ({NO_RESULT[0]}: no result from its job)")
        print(f"{len(written)} environment{'s' if len(written) != 1 else ''} without a result")
        return 0
    entries = jobs(args.tox_ini)
    if args.json:
        print(json.dumps({"include": entries}, separators=(",", ":")))
    else:
        print("\n".join(_table(entries)))
    return 0
