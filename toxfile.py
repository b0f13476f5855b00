"""tox inline plugin: interpreters found without the user's help, and failed environments as results.

- tox-uv hands only the first entry of base_python to uv, and uv does not know pyenv: this plugin
  finds interpreters itself (pyenv, then PATH), exposes them to uv as pythonX.Y links on PATH, and
  narrows each environment's base_python to the first one available. None available: the list stays,
  uv fails, skip_missing_interpreters skips the environment.
- A TensorFlow environment that never reached its commands (interpreter missing, install failed)
  still leaves a raw result file saying so, so the report shows a row with the reason, not a hole.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tox.config.loader.memory import MemoryLoader
from tox.plugin import impl

from harness.host.envs import interpreters, toxini
from harness.inside import rawfile
from harness.schema import INSTALL_FAILED, SKIPPED

_ROOT = Path(__file__).resolve().parent
_WANTED = toxini.base_pythons(_ROOT / "tox.ini")
_REACHED: set[str] = set()


@impl
def tox_add_core_config(core_conf, state):
    options = state.conf.options
    # A bare `tox -p` means "all at once" to tox; 30 TensorFlow processes on a few cores thrash:
    # one environment per core was 20% faster on 2 cores (bench/matrix.py, docs/benchmarks.md).
    # An explicit `-p all` or `-p N` is left as it is.
    if (getattr(options, "parallel", 0) is None
            and not any(arg in ("all", "--parallel=all", "-pall") for arg in sys.argv)):
        options.parallel = os.cpu_count() or 1
    specs = {spec for specs in _WANTED.values() for spec in specs}
    links = interpreters.link_dir(specs, Path(core_conf["work_dir"]) / ".interpreters")
    path = os.environ.get("PATH", "")
    if str(links) not in path.split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([str(links), path])


@impl
def tox_add_env_config(env_conf, state):  # noqa: ARG001
    specs = _WANTED.get(env_conf.name)
    if not specs:
        return
    spec, _, _ = interpreters.pick(specs)
    if spec is not None and spec != specs[0]:
        env_conf.loaders.insert(0, MemoryLoader(base_python=[spec]))


@impl
def tox_before_run_commands(tox_env):
    _REACHED.add(tox_env.name)


@impl
def tox_env_teardown(tox_env):
    name = tox_env.name
    minor = toxini.minor_of(name)
    if minor is None or name in _REACHED or getattr(tox_env.options, "no_test", False):
        return
    spec, exe, why = interpreters.pick(_WANTED.get(name, ()))
    if spec is None:
        status, detail = SKIPPED, why
    else:
        env = toxini.by_name(_ROOT / "tox.ini").get(name)
        status, detail = INSTALL_FAILED, _install_error(tox_env, exe, env.deps if env else ())
    out = _out_dir(tox_env)
    rawfile.write(str(out / f"{name}.json"), rawfile.failed_env(name, minor, status, detail))


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


def _install_error(tox_env, exe, deps) -> str:
    """The resolver's own words for why the pins cannot be installed (tox printed them too)."""
    uv = getattr(tox_env, "uv", None) or shutil.which("uv")
    pins = " ".join(deps)
    if not uv or not deps:
        return f"environment setup failed before the runner started (pins: {pins})"
    try:
        proc = subprocess.run([uv, "pip", "compile", "--quiet", "--no-header", "--python", str(exe),
                               "-"], input="\n".join(deps), capture_output=True, text=True,
                              timeout=300, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"environment setup failed (pins: {pins}); resolving them again failed too: {exc}"
    if proc.returncode == 0:
        return (f"environment setup failed although the pins resolve ({pins}): see tox's output "
                f"for {tox_env.name}")
    lines = [ln.strip(" ×╰─▶│") for ln in proc.stderr.splitlines() if ln.strip()]
    return f"cannot install {pins}: " + " ".join(ln for ln in lines if ln)[:600]
