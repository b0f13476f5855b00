"""results/report.md: paste-ready GitHub Markdown, what changed first (host side)."""
from __future__ import annotations

from pathlib import Path

from harness.host.tables import findings as fnd
from harness.host.tables import matrix, nightly, provenance, values
from harness.schema import NOT_OUTCOMES, STATUSES

GITHUB_COMMENT_LIMIT = 65536
_PACKAGES_SHOWN = ("tensorflow", "tensorflow-cpu", "tf-keras", "keras", "numpy", "protobuf")


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |",
           "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def headline(tables, defaults) -> list[str]:
    everything = fnd.findings(tables.tidy, tables.transitions)
    found = [f for f in everything if not f.availability]
    versions = matrix.releases(tables.tidy)
    cases = sorted(set(tables.tidy["case"]) - {"*"})
    lines = ["# TensorFlow gradient regression report", ""]
    span = f"{versions[0]} – {versions[-1]}" if versions else "no releases"
    lines.append(f"{len(found)} finding{'s' if len(found) != 1 else ''} across {len(versions)} "
                 f"releases ({span}), case{'s' if len(cases) != 1 else ''}: {', '.join(cases)}.")
    lines.append("")
    lines.append("## What changed")
    lines.append("")
    if not found:
        lines.append("Nothing: every column has the same status in every release that ran.")
    for f in found:
        lines.append(f"- {f.sentence(fnd.short_variant(f.case, f.variant, defaults), md=True)}")
    lines.append("")
    appear = [f for f in everything if f.availability]
    if appear:
        lines += ["## APIs that appear", "",
                  "Not a change of behaviour: the API the case uses does not exist in the earlier "
                  "releases (`unavailable`).", ""]
        lines += [f"- {f.sentence(fnd.short_variant(f.case, f.variant, defaults), md=True)}"
                  for f in appear]
        lines.append("")
    lines += value_changes(tables, defaults)
    for case, config in defaults.items():
        if config and any(f.case == case for f in everything):
            lines.append(f"`[default]` of `{case}` is " + ", ".join(
                f"`{k}={v}`" for k, v in config.items()) + "; other labels name what differs.")
    return lines + [""]


def value_changes(tables, defaults) -> list[str]:
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
    rows = [[r.case + (f" [{fnd.short_variant(r.case, r.variant, defaults)}]"
                       if fnd.short_variant(r.case, r.variant, defaults) else ""),
             r.target, r.source or "(value of the target)", r.last_old, f"**{r.first_new}**",
             r.old_value, r.new_value, f"{r.change:.3g}"]
            for r in moved.head(values.REPORT_ROWS).itertuples()]
    lines += _table(["case", "target", "source", "last old", "first new", "old value",
                     "new value", "change"], rows)
    if len(moved) > values.REPORT_ROWS:
        lines.append(f"\n… and {len(moved) - values.REPORT_ROWS} more in `value_changes.csv`.")
    return lines + [""]


def compact_matrix(tables, defaults) -> list[str]:
    groups, unchanged = fnd.changing_groups(tables.matrix)
    lines = ["## Matrix of the changing columns", ""]
    if not groups:
        return lines + [f"No column changes ({unchanged} columns, one status each).", ""]
    versions = list(tables.matrix.index)
    rows = list(zip(*[g.series for g in groups]))
    body = [[label, n, *row] for label, n, row in fnd.release_runs(versions, rows)]
    lines += _table(["TF release", "releases", *[g.label for g in groups]], body)
    lines.append("")
    for g in groups:
        lines.append(f"- **{g.label}** ({len(g.columns)} column{'s' if len(g.columns) > 1 else ''}):"
                     f" {' · '.join(fnd.describe_columns(g.columns, defaults))}")
    lines += ["", f"{unchanged} other columns have one status in every release.", ""]
    return lines


def all_columns(tables, defaults) -> list[str]:
    """Every column that does not change, one line each, folded."""
    groups, _ = fnd.changing_groups(tables.matrix)
    changing = {c for g in groups for c in g.columns}
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
        lines += [f"- {line}" for line in fnd.describe_columns(cols, defaults)]
        lines.append("")
    return lines + ["</details>", ""]


def nightly_names(tables) -> dict[str, str]:
    """tf-nightly version -> 'nightly of 2026-10-26 (commit ef696751006)', for the builds with results."""
    return {d["env"]["tf_version"]: nightly.name(d["env"]["tf_version"], d["env"].get("tf_git_version", ""))
            for d in tables.docs if nightly.is_nightly(d["env"].get("tf_version", ""))}


def name_nightlies(lines: list[str], tables) -> list[str]:
    """Lines with each nightly's version replaced by its name, 'nightly of 2026-10-26 (commit ...)'."""
    for version, label in nightly_names(tables).items():
        lines = [ln.replace(version, label) for ln in lines]
    return lines


def nightly_opening(tables) -> list[str]:
    """The report's opening line on the newest nightly: what it changes against the last release."""
    rows = [v for v in tables.matrix.index if nightly.is_nightly(v) or v == "nightly"]
    if not rows:
        return []
    newest = rows[-1]
    released = [v for v in tables.matrix.index if v not in rows and not nightly.is_nightly(v)
                and matrix.version_key(v)[0] == 0 and not matrix.version_key(v)[1].is_prerelease]
    outcomes = tables.matrix.loc[newest].dropna()
    outcomes = outcomes[~outcomes.isin(NOT_OUTCOMES)]
    label = nightly_names(tables).get(newest)
    if outcomes.empty or not label:
        return ["", f"The nightly build did not run: {', '.join(sorted(set(tables.matrix.loc[newest].dropna()))) or 'no result'}"
                f" (see Environments)."]
    if not released:
        return ["", f"The **{label}** ({newest}) is the only build with results."]
    last = released[-1]
    before = tables.matrix.loc[last]
    changed = [(c, before[c], outcomes[c]) for c in outcomes.index
               if isinstance(before.get(c), str) and before[c] not in NOT_OUTCOMES
               and before[c] != outcomes[c]]
    head = f"Against {last}, the last release, the **{label}** ({newest})"
    if not changed:
        return ["", f"{head} changes nothing: the {len(outcomes)} columns both ran have the same "
                    "status."]
    out = ["", f"{head} changes {len(changed)} column{'s' if len(changed) != 1 else ''}:", ""]
    for col, old, new in changed[:20]:
        case, variant, target, source = col.split(matrix.SEP, 3)
        where = f" [{variant}]" if variant else ""
        out.append(f"- `{case}`{where} d `{target}` / d `{source}`: `{old}` -> `{new}`")
    if len(changed) > 20:
        out.append(f"- ... and {len(changed) - 20} more (results/transitions.csv)")
    return out


def environments(tables) -> list[str]:
    # the OS column carries a failed environment's reason: keep the table readable
    rows = [[*r[:5], r[5][:160], r[6]] for r in fnd.environment_rows(tables)]
    names = nightly_names(tables)
    rows = [[f"{r[0]}, {names[r[0]]}" if r[0] in names else r[0], *r[1:]] for r in rows]
    lines = ["## Environments", ""]
    lines += _table(fnd.ENV_HEADER, rows)
    lines += ["", f"{provenance.devices_line(tables.docs)} Packages of the releases at each "
              "transition:", ""]
    at = {v for f in fnd.findings(tables.tidy, tables.transitions) for v in (f.last_old, f.first_new)}
    for doc in tables.docs:
        if doc["env"].get("tf_version") not in at:
            continue
        pkgs = doc["env"].get("packages", {})
        key = ", ".join(f"{p} {pkgs[p]}" for p in _PACKAGES_SHOWN if p in pkgs)
        lines += [f"<details><summary>{doc['env']['tf_version']}: {key}</summary>", "", "```"]
        lines += [f"{name}=={version}" for name, version in pkgs.items()]
        lines += ["```", "", "</details>", ""]
    if tables.missing:
        lines += [f"Not run yet (no results): {', '.join(tables.missing)}.", ""]
    return lines


def reproduce(tables, root: Path) -> list[str]:
    found = fnd.findings(tables.tidy, tables.transitions)
    cases = list(dict.fromkeys(f.case for f in found)) or sorted(set(tables.tidy["case"]) - {"*"})
    env_of = {d["env"].get("tf_version"): d["env_name"] for d in tables.docs}
    lines = ["## Reproduce", ""]
    for case in cases:
        versions = [v for f in found if f.case == case for v in (f.last_old, f.first_new)]
        envs = ",".join(dict.fromkeys(env_of[v] for v in versions if v in env_of)) or "tf18"
        first = versions[0] if versions else (env_of and next(iter(env_of)))
        lines += [f"### {case}", "", "With the harness (one command for all releases: `tox -p`):",
                  "", "```sh", "python3 -m pip install -r requirements.txt",
                  f"tox -e {envs} -- --case {case} && tox -e report",
                  f"python -m harness repro --case {case} --tf {first}   # standalone script + pins",
                  "```", ""]
        source = _case_source(tables.docs, case, root)
        if source:
            lines += [f"<details><summary>Source of the case ({source[0]})</summary>", "",
                      "```python", source[1].rstrip(), "```", "", "</details>", ""]
    return lines


def _case_source(docs: list[dict], case: str, root: Path) -> tuple[str, str] | None:
    for doc in docs:
        for cell in doc["cells"]:
            if cell["case"] == case and cell.get("case_file"):
                for path in (Path(cell["case_file"]), root / cell["case_file"]):
                    if path.is_file():
                        return cell["case_file"], path.read_text(encoding="utf-8")
    return None


def origin(tables) -> list[str]:
    """The header's lines on where the results come from: runs, cache, newer partial runs."""
    lines = [provenance.runs_line(tables.docs), provenance.carried_line(tables.docs),
             *provenance.partial_lines(getattr(tables, "partials", []))]
    lines = [line + "." for line in lines if line]
    return ["", *("  \n".join(lines).split("\n"))] if lines else []


def legend() -> list[str]:
    return ["<details><summary>Statuses</summary>", "",
            *[f"- `{k}`: {v}" for k, v in STATUSES.items()], "", "</details>", ""]


def render(tables, root: Path, only_changing: bool = False, extra: list[str] = ()) -> str:
    """The whole report as one Markdown string."""
    defaults = fnd.default_variants(tables.tidy)
    head = name_nightlies(headline(tables, defaults), tables)
    parts = head[:1] + nightly_opening(tables) + head[1:3] + origin(tables) + head[3:]
    parts += compact_matrix(tables, defaults)
    parts += list(extra)
    if not only_changing:
        parts += all_columns(tables, defaults)
    parts += environments(tables) + reproduce(tables, root) + legend()
    parts.append("_Made by tf-regression-harness: one tox environment per TensorFlow release._")
    return "\n".join(parts) + "\n"
