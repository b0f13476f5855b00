"""`python -m harness report`: raw JSON -> CSV tables, report.md, report.html, matrix.png/.svg."""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from harness.host.tables import coverage, load, matrix, nightly, provenance, values
from harness.host.tables import commands
from harness.host.tables.analysis import Analysis, analyse
from harness.host.envs import interpreters, toxini
from harness.host.reports import mdreport
from harness.host.errors import UserError
from harness.schema import HARNESS_ERROR

ROOT = toxini.ROOT


@dataclass
class Tables:
    """Everything the reports are made of: the tidy table and its views, and what was wrong."""

    tidy: pd.DataFrame
    matrix: pd.DataFrame
    transitions: pd.DataFrame
    problems: list[load.EnvProblem]
    missing: list[str]
    docs: list[dict] = field(default_factory=list)
    fingerprints: pd.DataFrame = field(default_factory=pd.DataFrame)  # values.table
    value_changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=values.CHANGE_COLUMNS))
    value_tol: float = values.DEFAULT_TOL
    analysis: Analysis | None = None  # what the reports say, computed once by build
    partials: list[provenance.PartialRun] = field(default_factory=list)
    # releases of tox.ini (and unusable raw files) with no result, in release order, and what the
    # missing first or last releases hide
    no_results: list[coverage.NoResult] = field(default_factory=list)
    blind_ends: list[str] = field(default_factory=list)
    raw_dir: Path = Path("results/raw")  # where the raw files were read, and where the report goes:
    out_dir: Path = Path("results")  # both for the commands the report prints
    tox_args: str = ""  # what tox -e ENVS needs after '--' to add releases here (commands.tox_args)

    @property
    def harness_errors(self) -> pd.DataFrame:
        """The rows where the harness's own code failed: failures of the run, not findings."""
        return self.tidy[self.tidy["status"] == HARNESS_ERROR]

    def harness_lines(self, limit: int = 8) -> list[str]:
        """One line per failure of the harness (release, case, variant, pair, the exception's
        first line), the first `limit` of them."""
        rows = self.harness_errors
        out = [f"{r.tf_version} {r.case}{f' [{r.variant}]' if r.variant else ''} "
               f"{'' if r.target == '*' else f'd {r.target} / d {r.source}: '}"
               f"{r.detail.splitlines()[0][:300]}" for r in rows.head(limit).itertuples()]
        return out + ([f"... and {len(rows) - limit} more"] if len(rows) > limit else [])

    @property
    def ran(self) -> list[str]:
        """The matrix's releases that have results, in release order."""
        gaps = {g.release for g in self.no_results}
        return [v for v in self.matrix.index if v not in gaps]


def tables_dir(raw: Path) -> Path:
    """Where the tables of a raw dir go by default: the parent of a dir named raw, else the dir."""
    return raw.parent if raw.name == "raw" else raw


def build(raw_dir: Path, envs: list[toxini.TfEnv] | None = None, pick=interpreters.pick,
          cases: list[str] | None = None, value_tol: float = values.DEFAULT_TOL) -> Tables:
    """Load every raw file of raw_dir and derive the tables; envs are the expected environments."""
    docs, problems = load.load_dir(raw_dir)
    present = {d["env_name"] for d in docs} | {p.env_name for p in problems}
    docs = load.merge_per_version(docs)
    envs = toxini.read() if envs is None else envs
    problems = problems + load.skipped_envs(present, envs, pick)
    present |= {p.env_name for p in problems}
    ran = {d["env"].get("tf_version", "") for d in docs}
    absent = [e for e in envs if e.name not in present and not any(_covers(e, v) for v in ran)]
    missing = [e.name for e in absent]
    partials = provenance.partial_runs(raw_dir)
    gaps = coverage.no_results(problems, absent, raw_dir, {p.env_name for p in partials})
    tidy = load.tidy(docs, problems)
    if cases:
        known = sorted(set(tidy["case"]) - {load.ANY})
        unknown = [c for c in cases if c not in known]
        if unknown:
            raise UserError(f"no results for case {', '.join(unknown)} in {raw_dir} "
                            f"(cases with results: {', '.join(known) or 'none'})")
        tidy = tidy[tidy["case"].isin(cases)].reset_index(drop=True)
    fingerprints = values.table(docs)
    if cases:
        fingerprints = fingerprints[fingerprints["case"].isin(cases)].reset_index(drop=True)
    never = [e.minor for e in absent]
    wide = matrix.to_matrix(tidy, never)
    tables = Tables(tidy, wide, matrix.transitions(tidy, never), problems, missing,
                    docs, fingerprints, values.changes(fingerprints, value_tol), value_tol,
                    partials=partials, no_results=gaps, raw_dir=raw_dir,
                    out_dir=tables_dir(raw_dir), tox_args=commands.tox_args(docs, raw_dir),
                    blind_ends=coverage.ends(gaps, _expected(envs, wide)))
    tables.analysis = analyse(tables, load.variants(docs))
    return tables


def _covers(env: toxini.TfEnv, version: str) -> bool:
    """Whether a result of TensorFlow `version` (a run-releases or bisect raw file) is one of the
    environment's release."""
    if env.nightly:
        return nightly.is_nightly(version)
    return not nightly.is_nightly(version) and ".".join(version.split(".")[:2]) == env.minor


def _expected(envs: list[toxini.TfEnv], wide: pd.DataFrame) -> list[str]:
    """The matrix's rows that stand for tox.ini's releases, in order: a release shows with its
    version where it has rows, else with its minor."""
    rows = list(wide.index)
    out = []
    for env in envs:
        hit = [r for r in rows if r == env.minor or _covers(env, r)]
        out.append(hit[-1] if hit else env.minor)
    return sorted(dict.fromkeys(out), key=matrix.version_key)


def write_tables(tables: Tables, out_dir: Path) -> list[Path]:
    """The CSV files; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "gradients.csv", out_dir / "matrix.csv", out_dir / "transitions.csv",
             out_dir / "value_changes.csv"]
    tidy = tables.tidy.assign(_order=tables.tidy["tf_version"].map(matrix.version_key))
    tidy = tidy.sort_values("_order", kind="stable")[load.CSV_COLUMNS]
    tidy.to_csv(paths[0], index=False)
    matrix.flat(tables.matrix).to_csv(paths[1])
    tables.transitions.to_csv(paths[2], index=False)
    tables.value_changes.to_csv(paths[3], index=False, float_format="%.3g")
    return paths


def write(tables: Tables, out_dir: Path, only_changing: bool = False, plots: bool = True,
          root: Path = ROOT) -> list[Path]:
    """Every output: the CSV tables, report.md, report.html and the heatmap."""
    from harness.host.reports import htmlreport
    tables.out_dir = out_dir
    paths = write_tables(tables, out_dir)
    md = mdreport.render(tables, root, only_changing=only_changing)
    paths.append(out_dir / "report.md")
    paths[-1].write_text(md, encoding="utf-8")
    paths.append(out_dir / "report.html")
    paths[-1].write_text(htmlreport.render(tables, root), encoding="utf-8")
    if plots:
        from harness.host.reports import heatmap
        paths += heatmap.draw(tables, out_dir)
    return paths


def summary(tables: Tables) -> list[str]:
    """What the terminal shows after a report: transitions, problems, missing releases."""
    gaps = tables.no_results
    lines = [f"{len(tables.ran)} releases with results x {len(tables.matrix.columns)} columns"]
    if not tables.harness_errors.empty:
        lines.append(f"{len(tables.harness_errors)} failure(s) of the harness's own code (not "
                     "TensorFlow findings; a bug to report against this harness):")
        lines += [f"  {line}" for line in tables.harness_lines()]
    if gaps:
        lines.append(f"{len(gaps)} release{'s' if len(gaps) != 1 else ''} of the matrix "
                     f"{'have' if len(gaps) != 1 else 'has'} no result (a change next to "
                     f"{'them' if len(gaps) != 1 else 'it'} is placed between the releases around):")
        lines += [f"  {where}: {why}" for where, why in coverage.listing(gaps, tables.raw_dir, tables.tox_args)]
        lines += [f"  {sentence}" for sentence in tables.blind_ends]
    lines += [f"not checked: {u.sentence()}" for u in tables.analysis.unrecorded]
    lines += [f"not checked: {u.sentence()}" for u in tables.analysis.unchecked]
    lines += [f"seeded values: {s.sentence()}" for s in tables.analysis.seeded]
    lines += [f"keras 3: {t}" for k in tables.analysis.keras for t in k.sentences()]
    lines += provenance.origin_lines(tables.docs, tables.partials)
    found = [f.line() for f in tables.analysis.changes]
    unseen = f" (among the releases with results; {len(gaps)} without)" if gaps else ""
    lines.append(f"{len(found)} transition{'s' if len(found) != 1 else ''}:" if found
                 else f"no transitions: every column has one status across releases{unseen}")
    lines += [f"  {line}" for line in found]
    appear = [f.line() for f in tables.analysis.appear]
    if appear:
        lines.append(f"{len(appear)} API change{'s' if len(appear) != 1 else ''} "
                     "(not available on some releases):")
        lines += [f"  {line}" for line in appear]
    moved = len(tables.value_changes)
    lines.append(f"{moved} value change{'s' if moved != 1 else ''} between consecutive releases "
                 f"(tolerance {tables.value_tol:g}): value_changes.csv" if moved else
                 f"no value changes between consecutive releases (tolerance {tables.value_tol:g})")
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, default=Path("results/raw"),
                        help="directory of raw JSON files, or of artifact folders holding them")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the tables go (default: beside the raw dir, as tables_dir: the "
                             "parent of a dir named raw, else the dir itself; results for results/raw)")
    parser.add_argument("--case", action="append", default=[], metavar="NAME",
                        help="only this case (repeatable)")
    parser.add_argument("--only-changing", action="store_true",
                        help="report.md without the list of columns that never change")
    parser.add_argument("--no-plots", action="store_true", help="skip matrix.png/.svg")
    parser.add_argument("--value-tol", type=float, default=values.DEFAULT_TOL, metavar="TOL",
                        help="relative move of a gradient's or target's value between consecutive "
                             "releases that is a value change (default: %(default)g)")
    parser.add_argument("--runner-args", nargs=argparse.REMAINDER, default=None, metavar="ARGS",
                        help="the runner's arguments, as `tox -p -- ARGS` hands them to every "
                             "environment, the report's too: its --out is the raw dir (the tables go "
                             "to the parent of a dir named raw, else beside the raw files) and its "
                             "--case the cases; the others concern the runner only. ARGS with "
                             "--raw, --only-changing, --no-plots or --value-tol are the report's own")


REPORT_ONLY = ("--raw", "--only-changing", "--no-plots", "--value-tol")


def _report_only(arg: str) -> bool:
    """An option only the report has, written whole or abbreviated as argparse allows (--only)."""
    name = arg.split("=", 1)[0]
    return name.startswith("--") and len(name) > 2 and any(o.startswith(name) for o in REPORT_ONLY) \
        and not any(o.startswith(name) for o in ("--out", "--case"))


def from_runner_args(args: argparse.Namespace) -> argparse.Namespace:
    """The report that belongs to a run of `python -m harness run ARGS` (tox's report environment).

    ARGS with an option only the report has (`tox -e report -- --raw DIR --out DIR`) are the
    report's own; any other ARGS are the runner's, as `tox -p -- ARGS` hands them to every
    environment: the runner's --out is the raw dir, --case the cases, the rest concerns the runner.
    """
    if args.runner_args is not None:
        if not any(_report_only(a) for a in args.runner_args):
            from harness.inside.running import cli as runner
            ran = runner.parse_args(args.runner_args)
            raw = Path(ran.out)
            return argparse.Namespace(**{**vars(args), "raw": raw, "out": tables_dir(raw),
                                         "case": [name for names in ran.case for name in names]})
        parser = argparse.ArgumentParser(prog="python -m harness report")
        add_arguments(parser)
        args = parser.parse_args(args.runner_args)
    # without --out, beside the raw dir: never results/ for another raw dir, whose tables that
    # would overwrite
    return args if args.out is not None else argparse.Namespace(
        **{**vars(args), "out": tables_dir(args.raw)})


def run(args: argparse.Namespace) -> int:
    args = from_runner_args(args)
    if not args.value_tol > 0:
        raise UserError(f"--value-tol {args.value_tol:g}: must be a positive number")
    tables = build(args.raw, cases=args.case or None, value_tol=args.value_tol)
    if tables.tidy.empty:
        raise UserError(f"{args.raw}: no results to report (run e.g. tox -e tf18 first)")
    for path in write(tables, args.out, only_changing=args.only_changing, plots=not args.no_plots):
        print(f"wrote {path}")
    md_size = (args.out / "report.md").stat().st_size
    if md_size > mdreport.GITHUB_COMMENT_LIMIT:
        print(f"note: report.md has {md_size} characters, over GitHub's comment limit of "
              f"{mdreport.GITHUB_COMMENT_LIMIT}: narrow it with --case NAME or --only-changing")
    print("\n".join(summary(tables)))
    failed = [n for n in tables.no_results if n.fails_the_run]
    if failed:
        print(f"harness: {len(failed)} release(s) of tox.ini failed or could not run "
              f"({', '.join(n.release for n in failed)}): exit status 1")
    if not tables.harness_errors.empty:
        print(f"harness: {len(tables.harness_errors)} result(s) are failures of the harness's own "
              "code (harness_error): exit status 1")
    return 1 if failed or not tables.harness_errors.empty else 0
