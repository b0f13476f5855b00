"""Raw JSON files -> one tidy pandas table (host side, Python >= 3.10).

The tidy table has one row per TF release x case x variant x target x source. A cell that produced no
pairs (error, crash, timeout, skipped) and a release that did not run at all are expanded to every
(target, source) known for that case and variant from other releases, so they are rows, not holes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from packaging.version import InvalidVersion, Version

from harness.host.envs import toxini
from harness.host.tables.matrix import version_key
from harness.host.tables.variants import CaseVariants, Pairs, Variants, pairs_of
from harness.inside.tfapi import clean_git_version
from harness.inside.judging.points import SEEDED
from harness.schema import (ERROR, GRAD, MISMATCH, NONFINITE, RAW_KIND, SCHEMA_VERSION, SKIPPED,
                            ZERO)

CSV_COLUMNS = ["tf_version", "python_version", "case", "variant", "target", "source", "status",
               "detail", "break_op"]
COLUMNS = ["env_name", *CSV_COLUMNS, "dtype", "shape"]
ANY = "*"


class RawFileError(Exception):
    """A raw file that cannot be used; the message is one line naming the file."""


@dataclass
class EnvProblem:
    """An environment with no usable results: why, and what status its rows get."""

    env_name: str
    tf_version: str
    status: str
    detail: str


def script_cases(docs: list[dict]) -> set[str]:
    """The cases of raw files whose cells came from a user's script (run --script), not a case."""
    return {c["case"] for d in docs for c in d["cells"] if c.get("kind") == "script"}


def load_raw(path: Path) -> dict:
    """One raw file, checked for kind and schema version."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RawFileError(f"{path}: cannot read ({exc.strerror})") from None
    if not text.strip():
        raise RawFileError(f"{path}: empty file")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RawFileError(f"{path}: not valid JSON, truncated or corrupt ({exc.msg} at line "
                           f"{exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("kind") != RAW_KIND:
        raise RawFileError(f"{path}: not a harness result file (no kind {RAW_KIND!r})")
    schema = doc.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise RawFileError(f"{path}: result schema {schema} is newer than this harness reads "
                           f"({SCHEMA_VERSION}); upgrade the harness (git pull) to read it")
    for key in ("env_name", "env", "cells"):
        if key not in doc:
            raise RawFileError(f"{path}: result file lacks {key!r}")
    if "tf_git_version" in doc["env"]:  # TF 1.13 recorded "b'v1.13.2-5-g04256c8'"
        doc["env"]["tf_git_version"] = clean_git_version(doc["env"]["tf_git_version"])
    if doc["env"].get("tf_version"):  # a candidate says '2.12.0-rc0'; its wheel, bisect and every
        doc["env"]["tf_version"] = pep440(doc["env"]["tf_version"])  # table say '2.12.0rc0'
    return doc


def pep440(version: str) -> str:
    """A TensorFlow version as PEP 440 writes it ('2.12.0-rc0' -> '2.12.0rc0'); as it is when it is
    not a version."""
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def run_stamp(doc: dict) -> str:
    """When a run finished (or started, if it never finished): orders runs of one release."""
    run = doc.get("run", {})
    return run.get("finished") or run.get("started") or ""


def latest_cells(docs: list[dict]) -> dict[tuple[str, str], tuple[dict, dict]]:
    """(case, variant label) -> (cell, raw document) of the latest run that holds the cell: runs
    in the order they finished (ties: in the order given), a later run's cell replacing an earlier
    one's in its place."""
    out: dict[tuple[str, str], tuple[dict, dict]] = {}
    for doc in sorted(docs, key=run_stamp):
        for cell in doc["cells"]:
            out[(cell["case"], cell.get("variant_label", ""))] = (cell, doc)
    return out


def merge_per_version(docs: list[dict]) -> list[dict]:
    """One result per TF version: cells of all its runs, the latest run of each case x variant wins.

    The matrix's tf18.json and a later run-releases/bisect rel-1.8.0.json of one case are the same
    release: together they are one row, not one hiding the other.
    """
    by_version: dict[str, list[dict]] = {}
    for doc in docs:
        by_version.setdefault(doc["env"].get("tf_version") or doc["env_name"], []).append(doc)
    merged = []
    for runs in by_version.values():
        cells = [cell for cell, _ in latest_cells(runs).values()]
        merged.append(dict(sorted(runs, key=run_stamp)[-1], cells=cells))
    return sorted(merged, key=lambda d: version_key(d["env"].get("tf_version", "")))


def raw_files(raw_dir: Path) -> list[Path]:
    """*.json in a directory and in its sub-directories one level down (downloaded artifacts);
    never <env>.json.partial (a run that has not replaced its raw file: provenance.partial_runs)."""
    if not raw_dir.is_dir():
        return []
    return sorted([*raw_dir.glob("*.json"), *raw_dir.glob("*/*.json")])


def _fallback_version(env_name: str) -> str:
    return toxini.minor_of(env_name) or env_name


def load_dir(raw_dir: Path) -> tuple[list[dict], list[EnvProblem]]:
    """Every usable raw file of a directory, and one problem per file or environment that is not.

    A raw file may stand for an environment that never ran: `env_status` (install_failed, skipped,
    error) with `env_detail` saying why. Those become problems, i.e. rows of that status.
    """
    docs, problems = [], []
    for path in raw_files(raw_dir):
        try:
            doc = load_raw(path)
        except RawFileError as exc:
            problems.append(EnvProblem(path.stem, _fallback_version(path.stem), ERROR, str(exc)))
            continue
        if doc.get("env_status"):
            version = doc["env"].get("tf_version") or _fallback_version(doc["env_name"])
            problems.append(EnvProblem(doc["env_name"], version, doc["env_status"],
                                       doc.get("env_detail", "")))
        else:
            docs.append(doc)
    return docs, problems


def _rows(doc: dict) -> list[dict]:
    env = doc["env"]
    base = {"env_name": doc["env_name"],
            "tf_version": env.get("tf_version") or env.get("packages", {}).get(
                env.get("tf_package", ""), "") or _fallback_version(doc["env_name"]),
            "python_version": env.get("python_version", "")}
    rows = []
    for cell in doc["cells"]:
        key = dict(base, case=cell["case"], variant=cell.get("variant_label", ""))
        pairs = cell.get("pairs") or []
        if not pairs:
            rows.append(dict(key, target=ANY, source=ANY, status=cell["status"],
                             detail=cell.get("detail", ""), dtype="", shape="", break_op=""))
        for pair in pairs:
            detail = pair.get("detail", "")
            if pair["status"] == GRAD and not detail:
                detail = f"{pair.get('dtype', '')} {pair.get('shape', '')}".strip()
                why = (pair.get("numeric") or {}).get("why")
                if why:  # not evaluated, or evaluated without a verdict: say why
                    detail += f"; no numeric verdict: {why}"
            if pair.get("point") == SEEDED and pair["status"] in (NONFINITE, MISMATCH, ZERO):
                detail += " (at values the harness seeded: the source's initial value is random)"
            rows.append(dict(key, target=pair["target"], source=pair["source"],
                             status=pair["status"], detail=detail, dtype=pair.get("dtype", ""),
                             shape=pair.get("shape", ""), break_op=_break_op(pair)))
    return rows


def _break_op(pair: dict) -> str:
    """'name (Type)' of the op where backprop stops, for none pairs of raw files that record it."""
    if not pair.get("break_op"):
        return ""
    return f"{pair['break_op']} ({pair.get('break_type', '')})"


def tidy(docs: list[dict], problems: list[EnvProblem] = ()) -> pd.DataFrame:
    """The tidy table of all releases; placeholder rows expanded to the known pairs."""
    rows = [row for doc in docs for row in _rows(doc)]
    for prob in problems:
        rows.append({"env_name": prob.env_name, "tf_version": prob.tf_version, "python_version": "",
                     "case": ANY, "variant": ANY, "target": ANY, "source": ANY,
                     "status": prob.status, "detail": prob.detail, "dtype": "", "shape": "",
                     "break_op": ""})
    df = pd.DataFrame(rows, columns=COLUMNS).fillna("")
    return _expand(df)


def _expand(df: pd.DataFrame) -> pd.DataFrame:
    """Replace '*' rows by one row per (case, variant, target, source) seen elsewhere."""
    holes = (df["target"] == ANY) | (df["case"] == ANY)
    if not holes.any():
        return df.reset_index(drop=True)
    known = df.loc[~holes, ["case", "variant", "target", "source"]].drop_duplicates()
    out = [df[~holes]]
    for _, row in df[holes].iterrows():
        if row["case"] == ANY:
            match = known
        else:
            match = known[(known["case"] == row["case"]) & (known["variant"] == row["variant"])]
        if match.empty:
            out.append(row.to_frame().T)
            continue
        filled = match.copy()
        for col in ("env_name", "tf_version", "python_version", "status", "detail", "dtype", "shape",
                    "break_op"):
            filled[col] = row[col]
        out.append(filled[COLUMNS])
    return pd.concat(out, ignore_index=True)


def variants(docs: list[dict]) -> Variants:
    """Every case's variants: the pairs of each label and the default configuration, as the runner
    recorded them (the cells' `variant`, the run's `cases`)."""
    out = Variants()
    for doc in docs:
        declared = (doc.get("run") or {}).get("cases") or {}
        for cell in doc["cells"]:
            case = out.setdefault(cell["case"], CaseVariants())
            pairs = _cell_pairs(cell)
            case.labels.setdefault(cell.get("variant_label", ""), pairs)
            spec = declared.get(cell["case"])
            if spec is not None and not case.declared:
                case.default, case.declared = pairs_of(spec["default"].items()), True
                case.axes = {axis: [str(v) for v in values] for axis, values in spec["axes"].items()}
            elif case.default is None:
                case.default = pairs  # old raw files: the runner runs the default first
    return out


def _cell_pairs(cell: dict) -> Pairs:
    """A cell's variant as pairs; from its label only for raw files older than the `variant` field
    (the one place a label is parsed: such a label cannot hold ',' or '=' in a value)."""
    if "variant" in cell:
        return pairs_of(cell["variant"])
    label = cell.get("variant_label", "")
    return tuple(tuple(part.split("=", 1)) for part in label.split(",") if "=" in part)


def skipped_envs(present: set[str], envs: list[toxini.TfEnv], pick) -> list[EnvProblem]:
    """tox.ini environments without results whose interpreter is missing here: skipped rows."""
    out = []
    for env in envs:
        if env.name in present:
            continue
        spec, _, why = pick(env.base_python)
        if spec is None:
            out.append(EnvProblem(env.name, env.minor, SKIPPED, why))
    return out
