"""Reads tox.ini: the environments of the matrix, their interpreters and pins (host side, Python >= 3.10)."""
from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from harness.host.errors import UserError

ROOT = Path(__file__).resolve().parents[3]
TOX_INI = ROOT / "tox.ini"
_MINOR = re.compile(r"^tf(\d)(\d+)$")
NIGHTLY_ENV = "tfnightly"
# What a nightly environment's rows carry before its build is known (install failed, no result):
# not a version number, so it sorts after every release (matrix.version_key).
NIGHTLY = "nightly"
TF_PACKAGES = ("tensorflow", "tensorflow-cpu", "tf-nightly")


@dataclass(frozen=True)
class TfEnv:
    """One TensorFlow environment of tox.ini."""

    name: str
    minor: str
    base_python: tuple[str, ...]
    deps: tuple[str, ...]
    set_env: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def nightly(self) -> bool:
        return self.name == NIGHTLY_ENV

    @property
    def package(self) -> str:
        """The TensorFlow distribution this environment installs."""
        for dep in self.deps:
            if requirement_name(dep) in TF_PACKAGES:
                return requirement_name(dep)
        raise UserError(f"tox.ini: [testenv:{self.name}] installs no tensorflow package")


def requirement(dep: str) -> Requirement | None:
    """A deps line as a PEP 508 requirement, or None for a line that is not one (-r file, path)."""
    try:
        return Requirement(dep)
    except InvalidRequirement:
        return None


def requirement_name(dep: str) -> str:
    """The normalised project name of a deps line ('tf-keras'), or '' if it is no requirement."""
    req = requirement(dep)
    return canonicalize_name(req.name) if req else ""


def _lines(value: str) -> list[str]:
    return [ln.strip() for ln in value.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def _specs(value: str) -> tuple[str, ...]:
    """'python3.7, python3.6' -> ('python3.7', 'python3.6')."""
    return tuple(p.strip() for p in value.split(",") if p.strip())


def _set_env(value: str) -> dict[str, str]:
    """A set_env block as a dict; references such as {[testenv]set_env} are left out."""
    pairs = (line.partition("=") for line in _lines(value) if "=" in line and not line.startswith("{"))
    return {key.strip(): val.strip() for key, _, val in pairs}


def minor_of(env_name: str) -> str | None:
    """'tf115' -> '1.15', 'tfnightly' -> 'nightly'; None for environments that are not TensorFlow."""
    if env_name == NIGHTLY_ENV:
        return NIGHTLY
    m = _MINOR.match(env_name)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def read(path: Path = TOX_INI) -> list[TfEnv]:
    """The TensorFlow environments of tox.ini, in env_list order."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as fh:
            parser.read_file(fh)
    except (OSError, configparser.Error) as exc:
        raise UserError(f"{path}: cannot read tox.ini ({exc})") from None
    envs = []
    for name in _lines(parser.get("tox", "env_list", fallback="")):
        minor = minor_of(name)
        if minor is None:
            continue
        section = f"testenv:{name}"
        if not parser.has_section(section):
            raise UserError(f"{path}: env_list names {name} but there is no [{section}]")
        sec = parser[section]
        envs.append(TfEnv(name, minor, _specs(sec.get("base_python", "")),
                          tuple(_lines(sec.get("deps", ""))), _set_env(sec.get("set_env", ""))))
    return envs


def by_name(path: Path = TOX_INI) -> dict[str, TfEnv]:
    """The TensorFlow environments of tox.ini keyed by name."""
    return {env.name: env for env in read(path)}


def base_set_env(path: Path = TOX_INI) -> dict[str, str]:
    """[testenv]'s set_env, which every TensorFlow environment inherits."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    return _set_env(parser.get("testenv", "set_env", fallback=""))
