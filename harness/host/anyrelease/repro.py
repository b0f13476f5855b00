"""`python -m harness repro`: one cell as a standalone script, its exact pins, the command to run it.

The script holds the case's own source (its __main__ block dropped) and a main of standard library
and TensorFlow only: what a user attaches to an upstream issue.
"""
from __future__ import annotations

import argparse
import ast
import shlex
import textwrap
from dataclasses import dataclass
from pathlib import Path

from harness.host.anyrelease import installs
from harness.host.envs import interpreters, toxini
from harness.host.tables import load, matrix, nightly
from harness.host.errors import UserError
from harness.inside.sources import cases as caselib

_SKIP_PACKAGES = {"pip", "setuptools", "wheel", "distribute"}

_MAIN = '''

# --- standalone repro: {what} ---
if __name__ == "__main__":
    import tensorflow

    tf = tensorflow
    if int(tensorflow.__version__.split(".")[0]) >= 2:
        # TF 2.x builds graphs only with eager execution off; tf.compat.v1 keeps the 1.x names.
        tf = tensorflow.compat.v1
        tf.disable_eager_execution()
    VARIANT = {variant!r}

    def flat(value):
        if isinstance(value, (list, tuple)):
            return [t for item in value for t in flat(item)]
        return [value]

    print("TensorFlow", tensorflow.__version__, getattr(tensorflow, "GIT_VERSION", ""), VARIANT)
    built = build(tf, **VARIANT)
    sources = built.get("sources") or dict(
        (v.name[:-2] if v.name.endswith(":0") else v.name, v) for v in tf.trainable_variables())
    names = list(sources)
    for target_name, target in built["targets"].items():
        grads = tf.gradients(flat(target), [sources[n] for n in names])
        for name, grad in zip(names, grads):
            print("d {{}} / d {{}}: {{}}".format(
                target_name, name, "None" if grad is None else "gradient " + str(grad.dtype.name)))
'''


def strip_main(source: str) -> str:
    """The source without its top-level `if __name__ == "__main__":` block."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in reversed(tree.body):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"):
            del lines[node.lineno - 1:node.end_lineno]
    return "".join(lines).rstrip() + "\n"


def parse_variant(spec: caselib.CaseSpec, pairs: list[str]) -> dict:
    """--variant axis=value ... over the case's default configuration, values typed as declared."""
    return dict(installs.choose_variant(spec, pairs))


def find_release(docs: list[dict], wanted: str) -> dict:
    """The raw result of a release ('1.8.0') or of the matrix's release of a minor ('1.8'); of a
    nightly build ('2.23.0.dev20261026', its date '2026-10-26', or 'nightly': the newest with results)."""
    builds = sorted((d["env"]["tf_version"] for d in docs
                     if nightly.is_nightly(d["env"].get("tf_version", ""))), key=matrix.version_key)
    day = nightly.as_date(wanted)
    if wanted == "nightly" and builds:
        wanted = builds[-1]
    elif day is not None and any(nightly.build_date(b) == day for b in builds):
        wanted = [b for b in builds if nightly.build_date(b) == day][-1]
    elif nightly.is_nightly(wanted):
        wanted = nightly.canonical(wanted)
    exact = [d for d in docs if d["env"].get("tf_version") == wanted]
    minor = [d for d in docs if d["env"].get("tf_version", "").startswith(wanted + ".")
             and d["env_name"] == "tf" + wanted.replace(".", "")]
    if exact or minor:
        return (exact or minor)[0]
    known = sorted({d["env"].get("tf_version", "") for d in docs}, key=matrix.version_key)
    if wanted == "nightly" or day is not None or nightly.is_nightly(wanted):
        raise UserError(f"no results for the tf-nightly build {wanted} (builds with results: "
                        f"{', '.join(builds) or 'none'}; run e.g. "
                        f"{'tox -e tfnightly' if wanted == 'nightly' else 'python -m harness run-releases ' + wanted})")
    raise UserError(f"no results for TensorFlow {wanted} (releases with results: "
                    f"{', '.join(known) or 'none'}; {how_to_run(wanted)})")


def how_to_run(wanted: str) -> str:
    """The one command that gets results of a release: its tox environment when tox.ini has its
    minor, else run-releases for a version of the index, else what tox.ini has."""
    env = matrix_env(wanted)
    if env is not None:
        return f"run e.g. tox -e {env.name}"
    minors = [e.minor for e in toxini.read()]
    if _minor_of(wanted) and wanted.count(".") == 2:
        return (f"{wanted} is outside tox.ini's releases ({minors[0]} – {minors[-1]}): run "
                f"python -m harness run-releases {wanted}")
    return (f"{wanted} is no minor of tox.ini ({', '.join(minors)}); for another release of the "
            f"index: python -m harness run-releases X.Y.Z")


def matrix_env(wanted: str) -> toxini.TfEnv | None:
    """tox.ini's environment of a release ('1.8.0') or minor ('1.8'); None if it has none."""
    if wanted == "nightly" or nightly.is_nightly(wanted):
        return next((e for e in toxini.read() if e.nightly), None)
    minor = _minor_of(wanted)
    return next((e for e in toxini.read() if minor and e.minor == minor), None)


def find_result(docs: list[dict], wanted: str, case: str | None = None) -> dict:
    """find_release, except that a minor ('1.8') is the newest release of that minor with results
    in any raw file: the matrix's tf18.json as well as rel-1.8.0.json of run-releases or bisect.

    Final releases come before pre-releases; with case, releases with results of the case first.
    """
    minor = [d for d in docs if _minor_of(d["env"].get("tf_version", "")) == wanted]
    if minor:
        return max(minor, key=lambda d: _newest_key(d, case))
    return find_release(docs, wanted)


def _minor_of(version: str) -> str:
    """'1.8.0' -> '1.8'; '' for a name that is not a version."""
    from packaging.version import InvalidVersion, Version
    try:
        parsed = Version(version)
    except InvalidVersion:
        return ""
    return f"{parsed.major}.{parsed.minor}"


def _newest_key(doc: dict, case: str | None) -> tuple:
    from packaging.version import Version
    version = Version(doc["env"]["tf_version"])
    has_case = case is None or any(c["case"] == case for c in doc["cells"])
    return (has_case, not version.is_prerelease, version)


@dataclass
class Release:
    """What a repro installs: the packages of a recorded run (exact pins) or, where no run of the
    release is recorded, tox.ini's pins of its environment (ranges), said in the script's header."""

    version: str  # '1.8.0', or the minor '1.8' of tox.ini where nothing was recorded
    python: str  # 'X.Y'
    requirements: list[str]
    legacy_keras: bool
    recorded: bool
    note: str = ""

    @classmethod
    def of_run(cls, doc: dict) -> "Release":
        env = doc["env"]
        packages = env.get("packages", {})
        return cls(env.get("tf_version", ""), ".".join(env.get("python_version", "3").split(".")[:2]),
                   [f"{name}=={version}" for name, version in packages.items()
                    if name not in _SKIP_PACKAGES],
                   bool({"tf-keras", "tf-keras-nightly"} & set(packages)), True)

    @classmethod
    def of_tox_ini(cls, env: toxini.TfEnv, wanted: str, raw: Path) -> "Release":
        spec, _, why = interpreters.pick(env.base_python)
        if spec is None:
            raise UserError(f"no results for TensorFlow {wanted} in {raw}, and no interpreter for "
                            f"{env.name} here: {why}")
        exact = wanted if wanted.count(".") == 2 and _minor_of(wanted) == env.minor else ""
        deps = [f"{env.package}=={exact}" if exact and toxini.requirement_name(d) == env.package
                else d for d in env.deps]
        note = (f"no recorded run of TensorFlow {wanted} in {raw}: requirements.txt holds tox.ini's "
                f"pins of {env.name} (ranges, not the exact packages of a run; `tox -e {env.name}` "
                f"records them)")
        return cls(exact or env.minor, ".".join(map(str, interpreters.parse_spec(spec))), deps,
                   env.set_env.get("TF_USE_LEGACY_KERAS") == "1", False, note)


def command_for(release: Release) -> str:
    """The shell command that builds the environment and runs repro.py, runnable as it stands: the
    interpreter by the absolute path `doctor` finds (pyenv, then PATH), else its plain name."""
    exe, _ = interpreters.find(f"python{release.python}")
    python = shlex.quote(str(exe)) if exe else f"python{release.python}"
    pip_cap = ' "pip<22"' if release.python in ("3.6", "2.7") else " pip"
    legacy = "TF_USE_LEGACY_KERAS=1 " if release.legacy_keras else ""
    return (f"{python} -m venv venv && venv/bin/pip install -q -U{pip_cap} && "
            f"venv/bin/pip install -q -r requirements.txt && {legacy}TF_CPP_MIN_LOG_LEVEL=2 "
            f"venv/bin/python repro.py")


def write(case_file: Path, spec: caselib.CaseSpec, variant: dict, release: Release, out: Path) -> str:
    """Write repro.py, requirements.txt and command.txt into out; returns the command."""
    out.mkdir(parents=True, exist_ok=True)
    what = f"case {spec.name}, TensorFlow {release.version}"
    header = f"\n\n{textwrap.fill(release.note, 96, initial_indent='# ', subsequent_indent='# ')}" \
        if release.note else ""
    (out / "repro.py").write_text(
        f'"""Standalone repro generated by tf-regression-harness: {what}."""{header}\n\n'
        + strip_main(case_file.read_text(encoding="utf-8")) + _MAIN.format(what=what, variant=variant),
        encoding="utf-8")
    (out / "requirements.txt").write_text("\n".join(release.requirements) + "\n", encoding="utf-8")
    command = command_for(release)
    (out / "command.txt").write_text(command + "\n", encoding="utf-8")
    return command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", required=True, help="case name (a file of --cases)")
    parser.add_argument("--variant", action="append", default=[], metavar="AXIS=VALUE",
                        help="change one axis from the default configuration (repeatable)")
    parser.add_argument("--tf", required=True, metavar="VERSION",
                        help="a release with results (1.8.0), a minor of the matrix (1.8), or a "
                             "nightly build with results (2.23.0.dev20261026, 2026-10-26, nightly)")
    parser.add_argument("--cases", type=Path, default=Path("cases"), help="directory of cases")
    parser.add_argument("--raw", type=Path, default=Path("results/raw"), help="raw results")
    parser.add_argument("--out", type=Path, default=None,
                        help="output directory (default: results/repro/CASE-tfVERSION)")


def run(args: argparse.Namespace) -> int:
    specs, problems = caselib.discover(str(args.cases), [args.case])
    if problems or not specs:
        raise UserError(problems[0] if problems else f"{args.cases}: no case {args.case}")
    spec = specs[0]
    if spec.problem:
        raise UserError(spec.problem)
    variant = parse_variant(spec, args.variant)
    docs, _ = load.load_dir(args.raw)
    try:
        release = Release.of_run(find_result(load.merge_per_version(docs), args.tf, spec.name))
    except UserError:
        env = matrix_env(args.tf)
        if env is None:  # nothing recorded and no environment of tox.ini: say how to get it
            raise
        release = Release.of_tox_ini(env, args.tf, args.raw)
    out = args.out or Path("results") / "repro" / f"{spec.name}-tf{release.version}"
    command = write(Path(spec.path), spec, variant, release, out)
    print(f"wrote {out}/repro.py, requirements.txt (Python {release.python}), command.txt")
    if release.note:
        print(f"note: {release.note}")
    print(f"variant: {caselib.variant_label([(axis, variant[axis]) for axis, _ in spec.axes])}")
    print(f"run it (in {out}): {command}")
    return 0
