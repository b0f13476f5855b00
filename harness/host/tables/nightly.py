"""tf-nightly builds: their version scheme, build date, commit and name (host side, pure functions).

A build's PEP 440 version is `2.23.0.dev20261026` (TensorFlow itself says `2.23.0-dev20261026`);
`tf.version.GIT_VERSION` of the build says which commit of master it was built from, as
`git describe` does: `v1.12.1-148158-gef696751006` -> commit `ef696751006`.
"""
from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

_VERSION = re.compile(r"^\d+\.\d+\.\d+\.dev(\d{8})$")
_DESCRIBE = re.compile(r"-g([0-9a-f]{7,40})$")
_HASH = re.compile(r"^[0-9a-f]{7,40}$")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def canonical(text: str) -> str | None:
    """The PEP 440 form of a version string, or None: '2.23.0-dev20261026' -> '2.23.0.dev20261026'."""
    try:
        return str(Version(text))
    except InvalidVersion:
        return None


def is_nightly(version: str) -> bool:
    """Whether a version is tf-nightly's scheme (X.Y.Z.devYYYYMMDD), in any spelling PEP 440 allows."""
    return bool(_VERSION.match(canonical(version) or ""))


def build_date(version: str) -> str:
    """'2.23.0.dev20261026' -> '2026-10-26'."""
    m = _VERSION.match(canonical(version) or "")
    if not m:
        raise ValueError(f"{version!r} is not a tf-nightly version")
    day = m.group(1)
    return f"{day[:4]}-{day[4:6]}-{day[6:]}"


def label(version: str) -> str:
    """A release as it is, a nightly build as 'nightly 2026-10-26': short labels for pictures."""
    return f"nightly {build_date(version)}" if is_nightly(version) else version


def as_date(text: str) -> str | None:
    """'2026-10-26' or '20261026' -> '2026-10-26'; None for anything else."""
    m = _DATE.match(text.strip())
    if not m or not ("01" <= m.group(2) <= "12" and "01" <= m.group(3) <= "31"):
        return None
    return "-".join(m.groups())


def commit_of(git_version: str) -> str | None:
    """The commit hash in a GIT_VERSION ('v1.12.1-148158-gef696751006' -> 'ef696751006'), or None.

    A bare hash is taken as it is; a plain tag ('v2.21.0', a release) names no nightly commit.
    """
    text = (git_version or "").strip()
    m = _DESCRIBE.search(text)
    if m:
        return m.group(1)
    return text if _HASH.match(text) else None


def name(version: str, git_version: str = "") -> str:
    """How reports name a build: 'nightly of 2026-10-26 (commit ef696751006)'."""
    commit = commit_of(git_version)
    return f"nightly of {build_date(version)}" + (f" (commit {commit})" if commit else "")
