"""tox inline plugin: interpreters found without the user's help, and failed environments as results.

Everything it knows comes from tox's own objects (the configuration tox loaded, `-c` included, its
parsed options, the commands tox ran and logged for each environment); it reads no tox.ini and no
sys.argv, and runs nothing over the network.

- tox-uv hands only the first entry of base_python to uv, and uv does not know pyenv: this plugin
  finds interpreters itself (pyenv, then PATH), narrows each environment's base_python to the first
  one available and exposes it to uv as a pythonX.Y link on PATH. None available: the list stays,
  uv fails, skip_missing_interpreters skips the environment.
- A bare `tox -p` runs one environment per core (tox's `auto`), not all at once.
- A TensorFlow environment whose setup failed in this run (its installer command failed, or no
  interpreter for it) leaves a raw result file saying so, with the installer's own message, so the
  report shows a row with the reason, not a hole; so does one this plugin's own code failed to set
  up (tox's "internal error"). Nothing is written for an environment that was not run, was
  interrupted, or was only set up (`--notest`) without failing; results already in its raw file are
  never replaced (harness/host/envs/failures.py).
"""
from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

from tox.plugin import impl

from harness.host.envs import failures, interpreters, toxini
from harness.schema import INSTALL_FAILED, SKIPPED

_LOG = logging.getLogger(__name__)
_STARTED = time.time()  # tox loads this module once per run: logs older than this are an earlier run's
_SPEC = re.compile(r"^python\d\.\d+$")
_LINKS: list[Path] = []  # this run's folder of pythonX.Y links (tox's work_dir/.interpreters)
_INSTALLS: dict[str, list[str]] = {}  # environment -> what tox asked to install in this run
_REACHED: set[str] = set()
_BROKEN: dict[str, str] = {}  # environment -> this plugin's own exception while setting it up


@impl(trylast=True)  # after tox's own options exist
def tox_add_option(parser):
    # `tox -p` and `tox -p all` both parse to None ("no limit"): argparse gives an option without its
    # value the action's const. A const of "auto" makes a bare -p tox's own `auto` (one environment per
    # core; 30 TensorFlow processes on a few cores thrash: bench/matrix.py, docs/benchmarks.md), while
    # `-p all` and `-p N` keep their meaning.
    legacy = parser.handlers.get("legacy")
    for action in legacy[0]._actions if legacy else ():  # noqa: SLF001 - argparse has no public accessor
        if action.dest == "parallel" and action.nargs == "?":
            action.const = "auto"


@impl
def tox_add_core_config(core_conf, state):  # noqa: ARG001
    links = Path(core_conf["work_dir"]) / ".interpreters"
    _LINKS[:] = [links]
    path = os.environ.get("PATH", "")
    if str(links) not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([str(links), path])


@impl
def tox_add_env_config(env_conf, state):  # noqa: ARG001
    for definition in env_conf.get_configs():
        if "base_python" in definition.keys:
            definition.post_process = _narrowing(getattr(definition, "post_process", None),
                                                 env_conf.name)


def _narrowing(original, name: str):
    """base_python's post-processing, then the first interpreter of the list that is available here.

    An exception of this plugin's own is remembered for the environment (tox reports it as an
    internal error and runs nothing): its teardown records it as the environment's failure, so the
    report names it instead of showing a release that silently has no result."""

    def narrow(value):
        try:
            if original is not None:
                value = original(value)
            specs = list(value or ())
            if not specs or not all(_SPEC.match(spec) for spec in specs):
                return value
            spec, _, _ = interpreters.pick(specs)
            if spec is None:
                return value
            if _LINKS:
                interpreters.link_dir({spec}, _LINKS[0])
            return [spec]
        except Exception as exc:
            _BROKEN[name] = f"{type(exc).__name__}: {exc}"
            raise

    return narrow


@impl
def tox_on_install(tox_env, arguments, section, of_type):  # noqa: ARG001
    lines = arguments.lines() if hasattr(arguments, "lines") else [str(arguments)]
    _INSTALLS.setdefault(tox_env.name, []).extend(str(line) for line in lines)


@impl
def tox_before_run_commands(tox_env):
    _REACHED.add(tox_env.name)
    if toxini.minor_of(tox_env.name) is not None:
        failures.forget(_out_dir(tox_env), tox_env.name)


@impl
def tox_env_teardown(tox_env):
    name = tox_env.name
    minor = toxini.minor_of(name)
    if minor is None or name in _REACHED or _interrupted(tox_env):
        return
    verdict = _setup_failure(tox_env)
    if verdict is None:
        return
    out = _out_dir(tox_env)
    where = failures.record(out, name, minor, *verdict)
    if where.name != f"{name}.json":
        _LOG.warning("%s: %s; the results in %s are kept, the failure is in %s", name, verdict[0],
                     out / f"{name}.json", where)


def _interrupted(tox_env) -> bool:
    """Whether the user stopped this environment (tox's interruption flag; not a public attribute)."""
    return bool(getattr(getattr(tox_env, "_interruption", None), "requested", False))


def _setup_failure(tox_env) -> tuple[str, str] | None:
    """(status, detail) when this run's setup of the environment failed, else None."""
    name = tox_env.name
    if name in _BROKEN:
        return INSTALL_FAILED, (f"tox stopped before setting it up: the harness's tox plugin failed "
                                f"(toxfile.py, base_python): {_BROKEN[name]}")
    log_dir = Path(tox_env.env_log_dir)
    failed = [log for log in failures.logs_since(log_dir, _STARTED) if log.exit_code not in (0, None)]
    if any(log.exit_code < 0 for log in failed):  # killed by a signal: interrupted, not failed
        return None
    if name in _INSTALLS:  # tox began installing in this run
        installs = [log for log in failed if log.run_id.startswith("install")]
        if installs:
            return INSTALL_FAILED, failures.install_detail(_INSTALLS[name], installs[-1], log_dir)
        if not getattr(tox_env.options, "no_test", False):
            # Past the install, short of the commands, not interrupted: setup failed without an
            # installer message tox kept (with --notest the same picture is a success).
            return INSTALL_FAILED, failures.install_detail(_INSTALLS[name], None, log_dir)
        return None
    venv = [log for log in failed if log.run_id == "venv"]
    if not venv:
        return None
    specs = list(tox_env.conf["base_python"])
    spec, _, why = interpreters.pick(specs) if all(_SPEC.match(s) for s in specs) else (None, None, "")
    if spec is None:
        return SKIPPED, why or f"no interpreter for {', '.join(specs)}"
    return INSTALL_FAILED, "cannot create the environment: " + (
        failures.message(venv[-1]) or f"see tox's log {venv[-1].path}")


def _out_dir(tox_env) -> Path:
    """Where this environment's runner would have written: its --out, else results/raw."""
    args: list[str] = []
    try:
        for command in tox_env.conf["commands"]:
            args.extend(command.args)
    except Exception:  # noqa: BLE001 - a broken commands setting must not hide the failure itself
        pass
    out = args[args.index("--out") + 1] if "--out" in args[:-1] else "results/raw"
    return Path(tox_env.conf["change_dir"]) / out
