"""Finds Python interpreters by version without the user's help: pyenv first, then PATH (host side).

Standard library only: toxfile.py imports it inside tox's own process.
"""
from __future__ import annotations

import os
import itertools
import re
import shutil
import subprocess
import threading
from pathlib import Path

_SPEC = re.compile(r"^python(\d)\.(\d+)$")
_PYENV_DIR = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def parse_spec(spec: str) -> tuple[int, int]:
    """'python3.6' -> (3, 6)."""
    m = _SPEC.match(spec)
    if not m:
        raise ValueError(f"not an interpreter spec of the form pythonX.Y: {spec!r}")
    return int(m.group(1)), int(m.group(2))


def pyenv_root() -> Path | None:
    """Where pyenv keeps its interpreters, if pyenv is installed."""
    root = os.environ.get("PYENV_ROOT")
    candidates = [Path(root)] if root else []
    candidates.append(Path.home() / ".pyenv")
    for cand in candidates:
        if (cand / "versions").is_dir():
            return cand
    return None


def _from_pyenv(major: int, minor: int) -> Path | None:
    root = pyenv_root()
    if root is None:
        return None
    best: tuple[int, Path] | None = None
    for entry in (root / "versions").iterdir():
        m = _PYENV_DIR.match(entry.name)
        if not m or (int(m.group(1)), int(m.group(2))) != (major, minor):
            continue
        exe = entry / "bin" / f"python{major}.{minor}"
        if os.access(exe, os.X_OK) and (best is None or int(m.group(3)) > best[0]):
            best = (int(m.group(3)), exe)
    return best[1] if best else None


def _reports_version(exe: str, major: int, minor: int) -> bool:
    try:
        out = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == f"{major}.{minor}"


def _from_path(major: int, minor: int) -> Path | None:
    exe = shutil.which(f"python{major}.{minor}")
    # A pyenv shim of a version that is not selected exists on PATH but fails when run: ask it.
    if exe and _reports_version(exe, major, minor):
        return Path(exe)
    return None


def find(spec: str) -> tuple[Path | None, str]:
    """The interpreter for 'pythonX.Y' and where it came from ('pyenv', 'PATH'), or (None, how to get it)."""
    major, minor = parse_spec(spec)
    exe = _from_pyenv(major, minor)
    if exe:
        return exe, "pyenv"
    exe = _from_path(major, minor)
    if exe:
        return exe, "PATH"
    hint = f"pyenv install {major}.{minor}" if pyenv_root() or shutil.which("pyenv") else (
        f"install Python {major}.{minor} so that python{major}.{minor} is on PATH (e.g. with pyenv)")
    return None, f"no python{major}.{minor} found (pyenv or PATH); get it with: {hint}"


def pick(specs: tuple[str, ...] | list[str]) -> tuple[str | None, Path | None, str]:
    """The first spec of a newest-first list that is available: (spec, path, origin or what is missing)."""
    missing = []
    for spec in specs:
        exe, origin = find(spec)
        if exe:
            return spec, exe, origin
        missing.append(spec)
    wanted = ", ".join(missing)
    hint = find(specs[0])[1].split("get it with: ", 1)[-1] if specs else ""
    return None, None, f"none of {wanted} found; get one with: {hint}"


_CALLS = itertools.count()  # next() is atomic under the GIL: one number per call, whatever the thread


def link_dir(specs: set[str], target: Path) -> Path:
    """A directory of pythonX.Y links to the interpreters found, for tools that search PATH (uv).

    Safe when called at once from several threads and processes (`tox -p` narrows base_python in one
    thread per environment): each call builds its link under a name of its own and swaps it in
    atomically; a link that already points at the right interpreter, whoever made it, is success.
    """
    target.mkdir(parents=True, exist_ok=True)
    for spec in sorted(specs):
        exe, _ = find(spec)
        link = target / spec
        if exe is None:
            try:
                link.unlink()
            except FileNotFoundError:
                pass
            continue
        if _points_at(link, exe):
            continue
        tmp = target / f".{spec}.{os.getpid()}.{threading.get_ident()}.{next(_CALLS)}"
        tmp.symlink_to(exe)
        try:
            os.replace(tmp, link)
        except OSError:
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
            if not _points_at(link, exe):
                raise
    return target


def _points_at(link: Path, exe: Path) -> bool:
    try:
        return os.readlink(link) == str(exe)
    except OSError:  # missing, or not a link
        return False
