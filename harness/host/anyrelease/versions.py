"""`python -m harness versions`: every release on the index, with the interpreter and pins it gets here.

The pins come from tox.ini, per minor (the nearest configured minor for releases outside the matrix),
so the matrix, run-releases and bisect install the same way.
"""
from __future__ import annotations

import bisect
import functools
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from packaging.version import InvalidVersion, Version

from harness.host.anyrelease import index
from harness.host.envs import interpreters, toxini
from harness.host.tables import nightly
from harness.host.errors import UserError
from harness.host.tables.matrix import version_key

@dataclass(frozen=True)
class Plan:
    """How one release is installed here, or why it cannot be."""

    version: str
    package: str
    python: str | None  # '3.6'
    interpreter: str | None  # its path
    deps: tuple[str, ...]  # what `uv pip install` gets: the release itself, then the minor's pins
    set_env: dict[str, str] = field(default_factory=dict, hash=False)
    pins_from: str = ""  # the tox.ini environment whose pins apply
    yanked: bool = False
    wheels: tuple[str, ...] = ()  # CPython versions with a wheel for this platform
    problem: str | None = None


def minor(version: str) -> str:
    """'1.15.0rc1' -> '1.15'."""
    rel = Version(version).release
    return f"{rel[0]}.{rel[1] if len(rel) > 1 else 0}"


def pins_env(version: str, envs: list[toxini.TfEnv]) -> toxini.TfEnv:
    """The tox.ini environment of the release's minor, else of the nearest configured minor."""
    ordered = sorted((e for e in envs if not e.nightly), key=lambda e: version_key(e.minor))
    keys = [version_key(e.minor) for e in ordered]
    at = bisect.bisect_left(keys, version_key(minor(version)))
    if at < len(ordered) and ordered[at].minor == minor(version):
        return ordered[at]
    # Between two minors the older one's pins are the closer guess; below the matrix, its first.
    return ordered[at - 1] if at > 0 else ordered[0]


def _follow_minor(dep: str, env_minor: str, release_minor: str) -> str:
    # Pins that name the environment's own minor (tf-keras==2.16.*) follow the release's minor.
    return dep.replace(f"=={env_minor}.*", f"=={release_minor}.*")


@functools.cache
def available(python: str) -> str | None:
    """The path of this machine's interpreter for '3.6', or None."""
    exe, _ = interpreters.find(f"python{python}")
    return str(exe) if exe else None


def plan(version: str, catalog: dict[str, dict[str, index.Release]], envs: list[toxini.TfEnv],
         find=None) -> Plan:
    """The install plan of one release that is on the index (see `lookup` for one that may not be)."""
    find = find or available
    if version in catalog.get(index.NIGHTLY, {}):
        env = nightly_env(envs)
        release = catalog[index.NIGHTLY][version]
        deps = (f"{index.NIGHTLY}=={version}",) + tuple(
            d for d in env.deps if toxini.requirement_name(d) != index.NIGHTLY)
        return _choose(version, env, release, deps, find)
    env = pins_env(version, envs)
    # The minor's package (tensorflow-cpu from 2.1), unless it has no usable wheel of this release.
    offers = [catalog[p][version] for p in dict.fromkeys((env.package, *index.PACKAGES))
              if version in catalog[p]]
    release = next((r for r in offers if r.pythons), offers[0])
    deps = (f"{release.package}=={version}",) + tuple(
        _follow_minor(d, env.minor, minor(version)) for d in env.deps if not _tf_pin(d))
    return _choose(version, env, release, deps, find)


def _tf_pin(dep: str) -> bool:
    """A pin of tensorflow or tensorflow-cpu: the release's own requirement replaces it."""
    req = toxini.requirement(dep)
    return bool(req and toxini.requirement_name(dep) in index.PACKAGES and req.specifier)


def nightly_env(envs: list[toxini.TfEnv]) -> toxini.TfEnv:
    """tox.ini's tfnightly environment: the pins and interpreters of every nightly build."""
    for env in envs:
        if env.nightly:
            return env
    raise UserError(f"tox.ini has no [testenv:{toxini.NIGHTLY_ENV}] in its env_list: "
                    "it gives nightly builds their interpreters and pins")


def _choose(version: str, env: toxini.TfEnv, release: index.Release, deps: tuple[str, ...],
            find) -> Plan:
    """The plan with the first interpreter of the environment's list (else any) that is here."""
    preferred = [s.removeprefix("python") for s in env.base_python]
    order = [p for p in preferred if p in release.pythons]
    order += [p for p in reversed(release.pythons) if p not in order]
    base = dict(version=version, package=release.package, deps=deps, set_env=dict(env.set_env),
                pins_from=env.name, yanked=release.yanked, wheels=release.pythons)
    for python in order:
        exe = find(python)
        if exe:
            return Plan(python=python, interpreter=exe, **base)
    if release.pythons:
        why = (f"no wheel for any interpreter here: wheels for Python {', '.join(release.pythons)}, "
               f"none installed (pyenv install {release.pythons[-1]})")
    elif release.all_pythons:
        why = (f"no wheel for any interpreter here: wheels for Python "
               f"{', '.join(release.all_pythons)} only; the runner needs 3.6+")
    else:
        why = "no wheel for any interpreter here: no wheel for this platform"
    return Plan(python=None, interpreter=None, problem=why, **base)


def lookup(version: str, catalog, envs, index_url: str, find=None) -> Plan:
    """The plan of a version the user typed; a UserError if the index has no such release."""
    canonical = resolve_nightly(version, catalog, index_url)
    if canonical is not None:
        got = plan(canonical, catalog, envs, find)
        if got.problem and version.strip().lower() == "nightly":
            # 'nightly' means the newest build that runs here, as `tox -e tfnightly` installs it
            runs = [p for p in (plan(v, catalog, envs, find) for v in nightlies(catalog))
                    if not p.problem]
            got = runs[-1] if runs else got
        if got.problem:
            near = nearest(canonical, [v for v in nightlies(catalog) if v != canonical
                                       and not plan(v, catalog, envs, find).problem])
            got = replace(got, problem=f"{got.problem}; nearest builds that run here: "
                                       f"{', '.join(near) or 'none'}")
        return got
    try:
        canonical = str(Version(version))
    except InvalidVersion:
        raise UserError(f"{version!r} is not a version number (e.g. 1.5.1, or a nightly: "
                        f"2.23.0.dev20261026, a date 2026-10-26, or 'nightly' for the newest)"
                        ) from None
    if canonical not in catalog["tensorflow"] and canonical not in catalog["tensorflow-cpu"]:
        same_minor = [v for v in known(catalog) if minor(v) == minor(canonical)]
        hint = (f"releases of {minor(canonical)}: {', '.join(same_minor)}" if same_minor else
                "python -m harness versions lists them")
        raise UserError(f"tensorflow {version} is not on the index {index_url} ({hint})")
    return plan(canonical, catalog, envs, find)


def known(catalog) -> list[str]:
    """Every version of tensorflow and tensorflow-cpu, in release order."""
    return sorted(set(catalog["tensorflow"]) | set(catalog["tensorflow-cpu"]), key=version_key)


def _in_bound(version: Version, bound: str | None, upper: bool) -> bool:
    if not bound:
        return True
    edge = Version(bound)
    # '--to 1.15' includes 1.15.5, '--from 1.15' 1.15.0rc1: a short bound covers its patches;
    # a full one is exact ('--to 2.15.0' stops before 2.15.0.post1).
    if len(edge.release) < 3 and version.release[:len(edge.release)] == edge.release:
        return True
    return version <= edge if upper else version >= edge


def nightlies(catalog) -> list[str]:
    """Every tf-nightly build on the index, oldest first."""
    return sorted((v for v in catalog.get(index.NIGHTLY, {}) if nightly.is_nightly(v)),
                  key=version_key)


def nearest(version: str, candidates: list[str]) -> list[str]:
    """The candidates just before and just after version, in PEP 440 order (one or two of them)."""
    key = version_key(version)
    before = [v for v in candidates if version_key(v) < key]
    after = [v for v in candidates if version_key(v) > key]
    return sorted(before, key=version_key)[-1:] + sorted(after, key=version_key)[:1]


def resolve_nightly(text: str, catalog, index_url: str) -> str | None:
    """The nightly build a user means ('nightly' = the newest, a date, a version), None if text does
    not name a nightly; a UserError naming the nearest builds if it names one the index lacks."""
    builds = nightlies(catalog)
    where = f"the index {index_url}"
    if text.strip().lower() == "nightly":
        if not builds:
            raise UserError(f"no tf-nightly build on {where}")
        return builds[-1]
    day = nightly.as_date(text)
    if day is not None:
        same = [v for v in builds if nightly.build_date(v) == day]
        if same:
            return same[-1]
        by_date = sorted(builds, key=nightly.build_date)
        near = [v for v in by_date if nightly.build_date(v) < day][-1:] + \
            [v for v in by_date if nightly.build_date(v) > day][:1]
        raise UserError(f"no tf-nightly build of {day} on {where} (nearest builds: "
                        f"{', '.join(near) or 'none'})")
    if not nightly.is_nightly(text):
        return None
    canonical = nightly.canonical(text)
    if canonical in builds:
        return canonical
    raise UserError(f"tf-nightly {text} is not on {where} (nearest builds: "
                    f"{', '.join(nearest(canonical, builds)) or 'none'}; "
                    f"python -m harness versions --nightly lists them)")


def between(catalog, lo: str | None, hi: str | None, pre: bool = False,
            with_nightlies: bool = False) -> list[str]:
    """The versions from lo to hi (inclusive, prefixes cover their patches), in PEP 440 order;
    with_nightlies, the tf-nightly builds among them (2.21.0 < 2.22.0.dev20260204 < 2.22.0rc0)."""
    for bound in (lo, hi):
        if bound:
            try:
                Version(bound)
            except InvalidVersion:
                raise UserError(f"{bound!r} is not a version number (e.g. 1.5 or 1.5.1)") from None
    out = []
    builds = set(nightlies(catalog)) if with_nightlies else set()
    for text in sorted(set(known(catalog)) | builds, key=version_key):
        v = Version(text)
        if (v.is_prerelease or v.is_devrelease) and not pre and text not in builds:
            continue
        if _in_bound(v, lo, upper=False) and _in_bound(v, hi, upper=True):
            out.append(text)
    return out


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="lo", metavar="V", help="first release, e.g. 1.0 (inclusive)")
    parser.add_argument("--to", dest="hi", metavar="V", help="last release, e.g. 1.15 (inclusive)")
    parser.add_argument("--pre", action="store_true", help="include release candidates")
    parser.add_argument("--nightly", action="store_true",
                        help="list the tf-nightly builds instead, newest first")
    parser.add_argument("--json", action="store_true", help="one JSON object per release, as a list")
    parser.add_argument("--refresh", action="store_true",
                        help=f"ask the index again even if its cached answer is younger than "
                             f"{index.MAX_AGE / 3600:.0f} h")
    parser.add_argument("--tox-ini", type=Path, default=toxini.TOX_INI, help="where the pins are")


def _print_table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head) - 1)]
    for row in [head, *rows]:
        print("  ".join(f"{c:<{w}}" for c, w in zip(row, widths)) + "  " + row[-1])


def run(args) -> int:
    url, catalog = index.read(refresh=args.refresh)
    envs = toxini.read(args.tox_ini)
    if args.nightly:
        return _run_nightly(args, url, catalog, envs)
    plans = [plan(v, catalog, envs) for v in between(catalog, args.lo, args.hi, args.pre)]
    if args.json:
        print(json.dumps({"index": url, "releases": [asdict(p) for p in plans]}, indent=1))
        return 0
    print(f"index: {url}")
    rows = [(p.version + (" (yanked)" if p.yanked else ""), p.package,
             f"python{p.python}" if p.python else "-", ",".join(p.wheels) or "-", p.pins_from,
             p.problem or " ".join(d for d in p.deps[1:]) or "-") for p in plans]
    _print_table(("release", "package", "python", "wheels", "pins", "extra deps / problem"), rows)
    runnable = sum(p.problem is None for p in plans)
    print(f"{len(plans)} releases, {runnable} can run here")
    return 0


def _run_nightly(args, url: str, catalog, envs) -> int:
    """versions --nightly: the builds newest first, with their date and, once run here, commit."""
    wanted = set(between(catalog, args.lo, args.hi, pre=False, with_nightlies=True))
    plans = [plan(v, catalog, envs) for v in reversed(nightlies(catalog)) if v in wanted]
    commits = index.known_commits()
    if args.json:
        print(json.dumps({"index": url, "nightlies": [
            {**asdict(p), "date": nightly.build_date(p.version),
             "git_version": commits.get(p.version, "")} for p in plans]}, indent=1))
        return 0
    print(f"index: {url}")
    rows = [(p.version + (" (yanked)" if p.yanked else ""), nightly.build_date(p.version),
             f"python{p.python}" if p.python else "-", ",".join(p.wheels) or "-",
             nightly.commit_of(commits.get(p.version, "")) or "-",
             p.problem or " ".join(d for d in p.deps[1:]) or "-") for p in plans]
    _print_table(("build", "date", "python", "wheels", "commit", "extra deps / problem"), rows)
    runnable = sum(p.problem is None for p in plans)
    print(f"{len(plans)} tf-nightly builds, {runnable} can run here; commits are known for the "
          f"builds that ran here (tf.version.GIT_VERSION, cached in {index.cache_dir()})")
    return 0
