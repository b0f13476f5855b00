"""results/report.md: paste-ready GitHub Markdown, what changed first (host side)."""
from __future__ import annotations

from pathlib import Path

from harness.host.anyrelease import sweep
from harness.host.tables import findings as fnd
from harness.host.reports import notes
from harness.host.reports.notes import cell_text as _cell
from harness.host.tables import analysis, commands, coverage, provenance, values
from harness.schema import NOT_OUTCOMES, STATUSES

GITHUB_COMMENT_LIMIT = 65536


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |",
           "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def no_results(tables) -> list[str]:
    """'## Releases without results', first in the report: which, why, and what they hide."""
    gaps = tables.no_results
    if not gaps:
        return []
    n = len(gaps)
    lines = ["## Releases without results", "",
             f"{n} release{'s' if n != 1 else ''} of the matrix {'have' if n != 1 else 'has'} no "
             "result: a change next to one is placed between the releases around it, never at "
             "one of them.", ""]
    lines += [f"- **{where}**: {why}" for where, why in coverage.listing(gaps, tables.raw_dir, tables.tox_args)]
    lines += ["", *tables.blind_ends] if tables.blind_ends else []
    return lines + [""]


def changes(an, md: bool = True, raw=None, bisected=None) -> list[str]:
    """The findings, one line per change shared by several variants of a case; in Markdown each
    with the bisect command that narrows it down (raw: the report's raw dir) and, where bisect-all
    ran it (bisected: the entries of bisect.json), its answer."""
    out = []
    for f, vs in fnd.across_variants(an.changes):
        out.append(f"- {f.sentence(_variants(an, f.case, vs), md=md)}")
        command = bisect_of(an, f, raw) if md else ""
        entry = sweep.entry_for(bisected, f, command) if bisected and command else None
        if command and not sweep.final(entry, f):
            out.append(f"  - narrow it down: `{command}`")
        if entry:
            out.append(f"  - {sweep.line(entry)}")
    return out


def bisect_of(an, f, raw) -> str:
    """The finding's bisect command ('' for the Keras 3 line: bisect runs the environment's Keras)."""
    args = commands.bisect_args(an, f, raw)
    return fnd.bisect_command(args) if args else ""


def _variants(an, case: str, variants: list[str]) -> str:
    """'default; input=direct' for a change shared by variants; '' for a case's only variant."""
    labels = [an.variants.short(case, v) for v in variants]
    return "" if labels == [""] else "; ".join(label or "default" for label in labels)


def headline(tables, an) -> list[str]:
    found = an.changes
    versions = tables.ran
    cases = sorted(set(tables.tidy["case"]) - {"*"})
    lines = ["# TensorFlow gradient regression report", ""]
    span = f"{versions[0]} – {versions[-1]}" if versions else "no releases"
    n = len(tables.no_results)
    without = f"; {n} release{'s' if n != 1 else ''} without results, listed above" if n else ""
    lines.append(f"{len(found)} finding{'s' if len(found) != 1 else ''} across {len(versions)} "
                 f"releases with results ({span}{without}), case{'s' if len(cases) != 1 else ''}: "
                 f"{', '.join(cases)}.")
    lines.append("")
    lines.append("## What changed")
    lines.append("")
    if not found:
        lines.append("Nothing: every column has the same status in every release that ran" + (
            f"; {', '.join(g.release for g in tables.no_results)} did not (see Releases without "
            "results)." if tables.no_results else "."))
    lines += changes(an, raw=tables.raw_dir, bisected=sweep.read(tables.out_dir))
    lines.append("")
    if an.appear:
        lines += ["## APIs that appear", "",
                  "Not a change of behaviour: the API the case uses does not exist in the earlier "
                  "releases (`unavailable`).", ""]
        lines += [f"- {f.sentence(an.variants.short(f.case, f.variant), md=True)}"
                  for f in an.appear]
        lines.append("")
    lines += value_changes(tables, an)
    for case in an.variants:
        config = an.variants.default(case)
        if config and any(f.case == case for f in an.findings):
            lines.append(f"`[default]` of `{case}` is " + ", ".join(
                f"`{k}={v}`" for k, v in config.items()) + "; other labels name what differs.")
    return lines + [""]


def value_changes(tables, an) -> list[str]:
    """'## Values that changed': gradients (and targets) whose numbers moved between releases."""
    moved = tables.value_changes
    if moved.empty:
        if tables.fingerprints.empty:
            return []
        return ["## Values that changed", "",
                f"None: every deterministic gradient and target has the same value (within "
                f"{tables.value_tol:g} relative) in consecutive releases with the same status.", ""]
    lines = ["## Values that changed", "",
             f"Same inputs on every release; a move larger than {tables.value_tol:g} of the "
             "value's scale between consecutive releases with the same status "
             "(`value_changes.csv`; `source` empty: the target's own value).", ""]
    rows = [[r.case + (f" [{an.variants.short(r.case, r.variant)}]"
                       if an.variants.short(r.case, r.variant) else ""),
             r.target, r.source or "(value of the target)", r.last_old, f"**{r.first_new}**",
             r.old_value, r.new_value, f"{r.change:.3g}"]
            for r in moved.head(values.REPORT_ROWS).itertuples()]
    lines += _table(["case", "target", "source", "last old", "first new", "old value",
                     "new value", "change"], rows)
    if len(moved) > values.REPORT_ROWS:
        lines.append(f"\n… and {len(moved) - values.REPORT_ROWS} more in `value_changes.csv`.")
    return lines + [""]


def compact_matrix(tables, an) -> list[str]:
    groups, unchanged = an.groups, an.unchanged
    lines = ["## Matrix of the changing columns", ""]
    if not groups:
        return lines + [f"No column changes ({unchanged} columns, one status each).", ""]
    versions = list(tables.matrix.index)
    rows = list(zip(*[g.series for g in groups]))
    body = [[label, n, *(s or "no result" for s in row)]
            for label, n, row in fnd.release_runs(versions, rows)]
    lines += _table(["TF release", "releases", *[g.label for g in groups]], body)
    lines.append("")
    for g in groups:
        lines.append(f"- **{g.label}** ({len(g.columns)} column{'s' if len(g.columns) > 1 else ''}):"
                     f" {' · '.join(fnd.describe_columns(g.columns, an.variants))}")
    lines += ["", f"{unchanged} other columns have one status in every release.", ""]
    return lines


def all_columns(tables, an) -> list[str]:
    """Every column that does not change, one line each, folded."""
    changing = {c for g in an.groups for c in g.columns}
    rest = [c for c in tables.matrix.columns if c not in changing]
    if not rest:
        return []
    by_status: dict[str, list[str]] = {}
    for col in rest:
        seen = {s for s in tables.matrix[col] if isinstance(s, str) and s}
        outcome = ", ".join(sorted(seen - set(NOT_OUTCOMES))) or "no outcome"
        rest_of = sorted(seen & set(NOT_OUTCOMES))
        label = f"{outcome} in every release" + (
            f" that ran it ({' / '.join(rest_of)} on others)" if rest_of else "")
        by_status.setdefault(label, []).append(col)
    lines = ["<details><summary>The columns that do not change</summary>", ""]
    for label, cols in by_status.items():
        lines.append(f"**{label}** ({len(cols)}):")
        lines.append("")
        lines += [f"- {line}" for line in fnd.describe_columns(cols, an.variants)]
        lines.append("")
    return lines + ["</details>", ""]


def name_nightlies(lines: list[str], an) -> list[str]:
    """Lines with each nightly's version replaced by its name, 'nightly of 2026-10-26 (commit ...)'."""
    for version, label in an.nightly_names.items():
        lines = [ln.replace(version, label) for ln in lines]
    return lines


def nightly_opening(an) -> list[str]:
    """The report's opening line on the newest nightly: what it changes against the last release."""
    news = an.nightly
    if news is None:
        return []
    if not news.label:
        return ["", f"The nightly build did not run: {', '.join(news.statuses) or 'no result'}"
                f" (see Environments)."]
    if not news.last:
        return ["", f"The **{news.label}** ({news.newest}) is the only build with results."]
    head = f"Against {news.last}, the last release, the **{news.label}** ({news.newest})"
    if not news.changed:
        return ["", f"{head} changes nothing: the {news.ran} columns both ran have the same "
                    "status."]
    n = len(news.changed)
    out = ["", f"{head} changes {n} column{'s' if n != 1 else ''}:", ""]
    for (case, variant, target, source), old, new in news.changed[:20]:
        where = f" [{variant}]" if variant else ""
        out.append(f"- `{case}`{where} d `{target}` / d `{source}`: `{old}` -> `{new}`")
    if n > 20:
        out.append(f"- ... and {n - 20} more (results/transitions.csv)")
    return out


def environments(tables, an) -> list[str]:
    # the OS column carries a failed environment's reason: keep the table readable
    rows = [[*r[:5], r[5][:160], *r[6:]] for r in an.environments]
    names = an.nightly_names
    rows = [[f"{r[0]}, {names[r[0]]}" if r[0] in names else r[0], *r[1:]] for r in rows]
    lines = ["## Environments", ""]
    lines += _table(analysis.ENV_HEADER, rows)
    lines += ["", f"{provenance.devices_line(tables.docs)} Packages of the releases at each "
              "transition:", ""]
    for version, pkgs in an.packages:
        lines += [f"<details><summary>{version}: {analysis.packages_shown(pkgs)}</summary>", "", "```"]
        lines += [f"{name}=={version}" for name, version in pkgs.items()]
        lines += ["```", "", "</details>", ""]
    return lines


def reproduce(tables, an, root: Path) -> list[str]:
    lines = ["## Reproduce", ""]
    for step in an.reproduce:
        case = step.case
        lines += [f"### {case}", "", "With the harness (one command for all releases: `tox -p`):",
                  "", "```sh", *step.commands(tables.raw_dir, tables.out_dir), "```", ""]
        source = analysis.case_source(tables.docs, case, root)
        if source:
            lines += [f"<details><summary>Source of the case ({source[0]})</summary>", "",
                      "```python", source[1].rstrip(), "```", "", "</details>", ""]
    return lines


def break_points(an) -> list[str]:
    """'## Where backprop stops': one row per case, variant, target and break op."""
    if not an.break_points:
        return []
    lines = ["## Where backprop stops", "",
             "For each `None` gradient with a forward path from the source to the target: the op "
             "whose output still receives a gradient while its input on the path does not.", "",
             "| case | variant | target | sources | break op | releases |",
             "|---|---|---|---|---|---|"]
    for b in an.break_points:
        lines.append(f"| {b.case} | {b.variant} | {b.target} | {', '.join(b.sources)} | "
                     f"`{b.op}` | {', '.join(b.releases)} |")
    return lines + [""]


def triggers(an) -> list[str]:
    """'## What triggers it': single changes of the default configuration that flip a status."""
    if not an.triggers:
        return []
    lines = ["## What triggers it", "",
             "Default configuration of each case against its one-axis changes, release by release "
             "(matrix cells; skipped variants are left out).", ""]
    for t in an.triggers:
        lines.append(f"- **{t.case}** [{t.default}] d {t.target} / d ({', '.join(t.sources)}) is "
                     f"`{t.status}` on {', '.join(t.releases)}.")
        if t.flips:
            lines.append(f"  - A single change makes it `grad`: {', '.join(t.flips)}.")
        if t.other:
            lines.append(f"  - A single change gives another status: {', '.join(t.other)}.")
        if t.keeps:
            lines.append(f"  - Not needed (changing it keeps `{t.status}`): {', '.join(t.keeps)}.")
    return lines + [""]


def origin(tables) -> list[str]:
    """The header's lines on where the results come from: runs, cache, newer partial runs."""
    lines = [line + "." for line in provenance.origin_lines(tables.docs, tables.partials)]
    return ["", *("  \n".join(lines).split("\n"))] if lines else []


def legend() -> list[str]:
    return ["<details><summary>Statuses</summary>", "",
            *[f"- `{k}`: {v}" for k, v in STATUSES.items()], "", "</details>", ""]


def render(tables, root: Path, only_changing: bool = False) -> str:
    """The whole report as one Markdown string."""
    an = tables.analysis
    head = name_nightlies(headline(tables, an), an)
    what = head.index("## What changed")
    end = what + head[what:].index("", 2)  # the blank line after the findings
    parts = head[:2] + notes.harness_failures(tables) + no_results(tables) \
        + notes.not_checked(an) + head[2:3] + origin(tables) + head[3:end] + nightly_opening(an) \
        + head[end:]
    parts += notes.keras_lines(an) + notes.chosen_values(an) + compact_matrix(tables, an)
    parts += break_points(an) + triggers(an)
    if not only_changing:
        parts += all_columns(tables, an)
    parts += environments(tables, an) + reproduce(tables, an, root) + legend()
    parts.append("_Made by tf-regression-harness: one tox environment per TensorFlow release._")
    return "\n".join(parts) + "\n"
