"""`python -m harness bisect`: the release (or nightly build) where one gradient's status changed.

`split.first_change` is the search itself: a pure function over (ordered versions, predicate), no
I/O. The command around it supplies the predicate (`probes.Prober`): earlier raw results when there are some, else a run of the
one case in the release's cached environment (the run-releases machinery). With a tf-nightly build at
either end (or --nightly) the versions are releases and nightlies in PEP 440 order, and the upstream
diff is between the two builds' commits, read from tf.version.GIT_VERSION of each build.
"""
from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from packaging.version import Version

from harness.host.anyrelease import index, installs, versions
from harness.host.anyrelease.split import Bisection, first_change, steps_about
from harness.host.anyrelease.probes import (OUTCOMES, Probe, Prober, Query, why_skipped, clock,
                                            earlier, value_sides)
from harness.host.tables import nightly, values
from harness.host.envs import toxini
from harness.host.errors import UserError
from harness.host.tables.matrix import version_key
from harness.inside.sources import cases as caselib
from harness.inside.sources import callsites

COMPARE = "https://github.com/tensorflow/tensorflow/compare/{}...{}"


def tag(version: str) -> str:
    """TensorFlow's git tag of a release: '2.10.0rc1' -> 'v2.10.0-rc1'."""
    v = Version(version)
    base = "v" + ".".join(str(p) for p in v.release)
    return base + (f"-{v.pre[0]}{v.pre[1]}" if v.pre else "")


def ref(version: str, git_version: str = "") -> str | None:
    """What GitHub compares for a version: a release's tag, a nightly build's commit hash (from its
    tf.version.GIT_VERSION, 'v1.12.1-148158-gef696751006' -> 'ef696751006'); None if not known."""
    if nightly.is_nightly(version):
        return nightly.commit_of(git_version)
    return tag(version)


def compare_url(old: str, new: str, git_versions: dict[str, str] | None = None) -> str:
    """The upstream diff between two versions; '' when a nightly's commit is not known."""
    git_versions = git_versions or {}
    refs = [ref(v, git_versions.get(v, "")) for v in (old, new)]
    return COMPARE.format(*refs) if all(refs) else ""


def resolve_query(cases_dir: Path, case: str, overrides: list[str], target: str,
                  source: str) -> Query:
    """The query with the case's default configuration, changed by axis=value overrides."""
    spec = installs.check_cases(cases_dir, [case])[0]
    chosen = installs.choose_variant(spec, overrides)
    return Query(spec.name, caselib.variant_label(chosen), target, source,
                 chosen not in [list(v) for v in spec.variants(False)], str(spec.path), spec.mode)


def resolve_script(path: Path, target: str, source: str) -> Query:
    """The query of a user's script (run --script): its one configuration."""
    spec = callsites.inspect(str(path))
    if not path.is_file():
        raise UserError(f"{path}: no such script")
    if spec.problem:
        raise UserError(spec.problem)
    return Query(spec.name, "", target, source, False, str(path), spec.mode, "script")


def add_arguments(parser) -> None:
    parser.add_argument("--case", help="the case file's name, e.g. seed_conv_bn_gru")
    parser.add_argument("--script", type=Path, default=None, metavar="PATH",
                        help="bisect a user's script (run --script PATH) instead of a case")
    parser.add_argument("--variant", action="append", default=[], metavar="AXIS=VALUE",
                        help="change one axis of the default configuration (repeatable)")
    parser.add_argument("--target", required=True, help="target name, e.g. new_state")
    parser.add_argument("--source", required=True, help="source name, e.g. layer_cell/conv1d/kernel")
    parser.add_argument("--good", required=True, metavar="V",
                        help="a release that behaves as expected (or a nightly: 2.23.0.dev20261026, "
                             "a date 2026-10-26, 'nightly' for the newest)")
    parser.add_argument("--bad", required=True, metavar="V", help="a release (or nightly) that does not")
    parser.add_argument("--pre", action="store_true", help="search release candidates too")
    parser.add_argument("--nightly", action="store_true",
                        help="search the tf-nightly builds too (implied when an end is a nightly)")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    parser.add_argument("--value", action="store_true",
                        help="narrow down a value change: both ends have the same status and values "
                             "further apart than --value-tol (value_changes.csv)")
    parser.add_argument("--value-tol", type=float, default=values.DEFAULT_TOL, metavar="TOL",
                        help="relative difference within which a value is the same (default: "
                             "%(default)g, the report's)")
    parser.add_argument("--dry-run", action="store_true",
                        help="resolve the case, the variant and both ends on the index, say how many "
                             "builds the search covers, and run nothing")
    parser.add_argument("--drop-envs", action="store_true",
                        help="install the builds without uv's cache and delete each environment "
                             "the search creates once its step is done (a nightly build: 2.3 GB)")
    parser.add_argument("--also", action="append", default=[], metavar="CASE",
                        help="run this case of --cases too at each build probed (repeatable): a "
                             "later search of it finds those builds' results (bisect-all)")
    parser.add_argument("--serial", action="store_true",
                        help="one version per step (default: two at once, on two cores, while "
                             "more than three are left)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the answer as a Markdown block to paste into a GitHub issue")
    installs.add_run_arguments(parser)


def run(args) -> int:
    from harness.host.anyrelease import answers  # it renders this module's answer: imports it
    quiet = args.json or args.markdown  # stdout holds the answer only
    say = (lambda text: print(text, file=sys.stderr, flush=True)) if quiet else \
        (lambda text: print(text, flush=True))
    result = search(args, say)
    if args.dry_run:
        print(f"dry run: {result['searchable']} searchable between {result['old']} and "
              f"{result['new']}, about {result['steps']} steps")
    elif args.json:
        print(json.dumps(result, indent=1))
    elif args.markdown:
        print("\n".join(answers.markdown(result, answers.command(args))))
    else:
        print("\n".join(answers.lines(result)))
    return 0


def search(args, say) -> dict:
    """The bisection args ask for: the answer (answer()), or with --dry-run what it would cover
    ({'old', 'new', 'searchable', 'steps'}); UserError for anything that stops it."""
    if bool(args.script) == bool(args.case):
        raise UserError("name what to bisect: --case NAME (a case file of --cases) or --script "
                        "PATH, one of them")
    query = resolve_script(args.script.resolve(), args.target, args.source) if args.script else \
        resolve_query(args.cases.resolve(), args.case, args.variant, args.target, args.source)
    url, catalog = index.read(refresh=args.refresh)
    envs = toxini.read()
    good = versions.lookup(args.good, catalog, envs, url)
    bad = versions.lookup(args.bad, catalog, envs, url)
    if good.version == bad.version:
        raise UserError(f"--good and --bad are both {good.version}: name two different releases")
    for end in (good, bad):
        if end.problem:
            raise UserError(f"{end.version} cannot be an end of the search: {end.problem}")
    old, new = sorted((good.version, bad.version), key=version_key)
    with_nightlies = args.nightly or any(nightly.is_nightly(v) for v in (old, new))
    ordered = [v for v in versions.between(catalog, old, new, args.pre, with_nightlies)
               if version_key(old) <= version_key(v) <= version_key(new)]
    ordered = sorted(set(ordered) | {old, new}, key=version_key)
    plans = {v: versions.plan(v, catalog, envs) for v in ordered}
    kinds = "releases and nightly builds" if with_nightlies else "releases"
    searchable = [v for v in ordered if not plans[v].problem]
    about = steps_about(len(searchable) - 2, not args.serial)
    say(f"{query.case} [{query.variant}] d {query.target} / d {query.source}: "
        f"{len(ordered)} {kinds} from {old} to {new}, about {about} to run between the ends "
        f"(index {url})")
    if args.dry_run:  # the case, its variant, both ends (and the pair, where an end has a result)
        for v in (old, new):
            known = earlier(args.out.resolve(), v, query)
            if known is not None and known.status not in OUTCOMES:
                raise UserError(f"{v} cannot be an end of the search: {known.status}: "
                                f"{known.detail}")
        return {**asdict(query), "old": old, "new": new, "searchable": len(searchable),
                "steps": about}
    if args.also and args.script:
        raise UserError("--also runs more cases of --cases at each build: not with --script")
    if args.also:
        installs.check_cases(args.cases.resolve(), args.also)
    args.out.mkdir(parents=True, exist_ok=True)  # before two probes at once write into it
    prober = Prober(query, plans, url, args.cases.resolve(), args.out.resolve(), say, args.also,
                    args.drop_envs)
    labels = {v: "good end" if v == good.version else "bad end" for v in (old, new)}
    with ThreadPoolExecutor(1 if args.serial else 2) as pool:  # both ends at once, two cores
        ends = dict(zip(labels, pool.map(lambda v: prober.status(v, labels[v]), labels)))
    if args.drop_envs:  # between steps: no install runs while uv's cache is cleaned
        prober.drop_made()
    for probe in ends.values():  # any outcome: grad, none, nonfinite, zero, mismatch, error, ...
        if probe.status not in OUTCOMES:
            raise UserError(f"{probe.version} cannot be an end of the search: {probe.status}: "
                            f"{probe.detail}")
    old_status, new_status = ends[old].status, ends[new].status
    if args.value:
        side = value_sides(ends[old], ends[new], args.value_tol)
    elif old_status == new_status:
        raise UserError(f"nothing to bisect: --good {good.version} and --bad {bad.version} are both "
                        f"{old_status} ({ends[good.version].source} / {ends[bad.version].source})")
    untestable = [v for v in ordered[1:-1] if plans[v].problem]
    asked, rounds = [], []

    def is_new(version: str, label: str) -> bool | None:
        asked.append(version)
        probe = prober.status(version, label)
        if args.value:
            return side(probe)
        return {new_status: True, old_status: False}.get(probe.status)

    def step() -> str:
        if args.drop_envs:
            prober.drop_made()
        rounds.append(1)
        return f"step {len(rounds)} of about {max(about, len(rounds))}"

    def both(a: str, b: str) -> tuple:
        label = step()
        with ThreadPoolExecutor(2) as pool:
            asks = [pool.submit(is_new, v, f"{label} ({i}/2)") for i, v in enumerate((a, b), 1)]
            return tuple(f.result() for f in asks)

    def ready(version: str) -> bool:  # an earlier result or an installed environment
        return (prober.raw_dir / f"{installs.env_name(version)}.json").exists() or \
            installs.env_dir(plans[version]).exists()

    found = first_change(searchable, lambda v: is_new(v, step()),
                         None if args.serial else both, ready)
    result = answer(query, good.version, bad.version, found, prober.seen, old_status, new_status,
                    {v: plans[v].problem for v in untestable})
    if args.value:  # the values on either side of the move, each at its build of the answer
        result.update({"old_value": values.show(prober.seen[found.last_old].value),
                       "new_value": values.show(prober.seen[found.first_new].value),
                       "value_tol": args.value_tol})
    if args.drop_envs:
        prober.drop_made()
    result.update({"steps": len(rounds), "asked": len(asked),
                   "seconds": round(time.monotonic() - prober.started, 1)})
    say(f"{len(rounds)} steps between the ends (about {about} expected; {len(asked)} versions "
        f"asked), {len(prober.seen)} versions in all, {clock(time.monotonic() - prober.started)}")
    return result


def answer(query: Query, good: str, bad: str, found: Bisection, seen: dict[str, Probe],
           old_status: str, new_status: str, untestable: dict[str, str]) -> dict:
    """The result as one plain dict (what --json prints)."""
    skipped = [{"version": v, "reason": reason} for v, reason in untestable.items()]
    skipped += [{"version": v, "reason": why_skipped(seen[v])} for v in found.skipped]
    gits = {**index.known_commits(), **{v: p.git_version for v, p in seen.items() if p.git_version}}
    return {**asdict(query), "good": good, "bad": bad,
            "direction": "introduced" if version_key(bad) > version_key(good) else "fixed",
            "last_old": found.last_old, "first_new": found.first_new,
            "old_status": old_status, "new_status": new_status,
            "last_old_name": build_name(found.last_old, gits.get(found.last_old, "")),
            "first_new_name": build_name(found.first_new, gits.get(found.first_new, "")),
            "last_old_git_version": gits.get(found.last_old, ""),
            "first_new_git_version": gits.get(found.first_new, ""),
            "compare_url": compare_url(found.last_old, found.first_new, gits),
            "untested_between": sorted(
                [*found.unresolved, *(v for v in untestable
                                      if version_key(found.last_old) < version_key(v)
                                      < version_key(found.first_new))], key=version_key),
            "tested": [{"version": p.version, "status": p.status, "seconds": round(p.seconds, 1),
                        "result": p.source} for p in seen.values()],
            "skipped": sorted(skipped, key=lambda s: version_key(s["version"]))}


def build_name(version: str, git_version: str) -> str:
    """'release 2.21.0', or 'nightly of 2026-10-26 (commit ef696751006)'."""
    return nightly.name(version, git_version) if nightly.is_nightly(version) else f"release {version}"
