"""tox inline plugin: each environment gets the first interpreter of its base_python list found here.

tox-uv hands only the first entry of base_python to uv, and uv does not know pyenv; this plugin finds
interpreters itself (pyenv, then PATH), exposes them to uv as pythonX.Y links on PATH, and narrows each
environment's base_python to the first one available. None available: the list stays, uv fails and
skip_missing_interpreters turns that into a skipped environment (the report says why).
"""
from __future__ import annotations

import os
from pathlib import Path

from tox.config.loader.memory import MemoryLoader
from tox.plugin import impl

from harness.host import interpreters, toxini

_ROOT = Path(__file__).resolve().parent
_WANTED = toxini.base_pythons(_ROOT / "tox.ini")


@impl
def tox_add_core_config(core_conf, state):  # noqa: ARG001
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
