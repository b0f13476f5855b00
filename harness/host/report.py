"""`python -m harness report`: raw JSON -> gradients.csv, matrix.csv, transitions.csv (host side)."""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from harness.host import interpreters, load, matrix, toxini
from harness.host.errors import UserError


@dataclass
class Tables:
    """Everything the reports are made of: the tidy table and its views, and what was wrong."""

    tidy: pd.DataFrame
    matrix: pd.DataFrame
    transitions: pd.DataFrame
    problems: list[load.EnvProblem]
    missing: list[str]


def build(raw_dir: Path, envs: list[toxini.TfEnv] | None = None, pick=interpreters.pick) -> Tables:
    """Load every raw file of raw_dir and derive the tables; envs are the expected environments."""
    docs, problems = load.load_dir(raw_dir)
    docs = _latest_per_version(docs)
    envs = toxini.read() if envs is None else envs
    present = {d["env_name"] for d in docs} | {p.env_name for p in problems}
    problems = problems + load.skipped_envs(present, envs, pick)
    present |= {p.env_name for p in problems}
    missing = [e.name for e in envs if e.name not in present]
    tidy = load.tidy(docs, problems)
    return Tables(tidy, matrix.to_matrix(tidy), matrix.transitions(tidy), problems, missing)


def _latest_per_version(docs: list[dict]) -> list[dict]:
    """One result per TF version: the most recently finished run wins."""
    best: dict[str, dict] = {}
    for doc in docs:
        version = doc["env"].get("tf_version") or doc["env_name"]
        stamp = doc.get("run", {}).get("finished") or doc.get("run", {}).get("started") or ""
        if version not in best or stamp >= (best[version].get("run", {}).get("finished") or ""):
            best[version] = doc
    return sorted(best.values(), key=lambda d: matrix.version_key(d["env"].get("tf_version", "")))


def write(tables: Tables, out_dir: Path) -> list[Path]:
    """The CSV files; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "gradients.csv", out_dir / "matrix.csv", out_dir / "transitions.csv"]
    tidy = tables.tidy.assign(_order=tables.tidy["tf_version"].map(matrix.version_key))
    tidy = tidy.sort_values("_order", kind="stable")[load.CSV_COLUMNS]
    tidy.to_csv(paths[0], index=False)
    tables.matrix.to_csv(paths[1])
    tables.transitions.to_csv(paths[2], index=False)
    return paths


def summary(tables: Tables) -> list[str]:
    """What the terminal shows after a report: transitions, problems, missing releases."""
    lines = [f"{len(tables.matrix)} releases x {len(tables.matrix.columns)} columns"]
    found = matrix.transition_lines(tables.transitions)
    lines.append(f"{len(found)} transition{'s' if len(found) != 1 else ''}:" if found
                 else "no transitions: every column has one status across releases")
    lines += [f"  {line}" for line in found]
    lines += [f"{p.status}: {p.env_name}: {p.detail}" for p in tables.problems]
    if tables.missing:
        lines.append("missing (no results yet): " + ", ".join(tables.missing))
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, default=Path("results/raw"),
                        help="directory of raw JSON files, or of artifact folders holding them")
    parser.add_argument("--out", type=Path, default=Path("results"), help="where the tables go")


def run(args: argparse.Namespace) -> int:
    tables = build(args.raw)
    if tables.tidy.empty:
        raise UserError(f"{args.raw}: no results to report (run e.g. tox -e tf18 first)")
    for path in write(tables, args.out):
        print(f"wrote {path}")
    print("\n".join(summary(tables)))
    return 0
