"""The package index: which TensorFlow releases exist, with which wheels, cached on disk (host side).

Reads the simple API (PEP 691 JSON, or PEP 503 HTML from plain mirrors) of the index the user's
uv/pip configuration points at. Standard library, `packaging` and `platformdirs`; never TensorFlow.
A hand-written client rather than `pypi-simple`: the client proper is some 40 lines (_Anchors,
parse_page, _fetch) and the rest of the module (cache, configured index, wheel tags) would stay;
pypi-simple would add requests, beautifulsoup4 and more, and reads no `file:` directory index
(local mirrors, the tests).
"""
from __future__ import annotations

import configparser
import hashlib
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import platformdirs
from packaging import tags
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from harness.host.errors import UserError

DEFAULT_INDEX = "https://pypi.org/simple"
PACKAGES = ("tensorflow", "tensorflow-cpu")
# The daily builds of TensorFlow's master branch: 2.N.0.devYYYYMMDD, each recording its commit.
NIGHTLY = "tf-nightly"
MAX_AGE = 24 * 3600.0
_ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
# The runner inside an environment needs Python 3.6+; older interpreters do not count.
MIN_PYTHON = (3, 6)


@dataclass(frozen=True)
class Release:
    """One version of one package on the index: the CPython versions its wheels fit here."""

    package: str
    version: str
    pythons: tuple[str, ...]  # '3.6', ... ascending: wheels for this platform, allowed by Requires-Python
    yanked: bool = False
    all_pythons: tuple[str, ...] = field(default=(), compare=False)  # any interpreter, this platform


def cache_dir() -> Path:
    """Where the harness keeps index answers and environments: platformdirs' user cache directory,
    on Linux $XDG_CACHE_HOME/tf-regression-harness, else ~/.cache/tf-regression-harness."""
    return Path(platformdirs.user_cache_dir("tf-regression-harness", appauthor=False))


def _pip_conf_files() -> list[Path]:
    # pip's own order; later files win (pip's docs, "Configuration: loading order").
    xdg = os.environ.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep)
    files = [Path(d) / "pip" / "pip.conf" for d in reversed(xdg)] + [Path("/etc/pip.conf")]
    files += [Path.home() / ".pip" / "pip.conf", Path.home() / ".config" / "pip" / "pip.conf",
              Path(sys.prefix) / "pip.conf"]
    if os.environ.get("PIP_CONFIG_FILE"):
        files.append(Path(os.environ["PIP_CONFIG_FILE"]))
    return files


def configured_index(environ=None, conf_files=None) -> tuple[str, str]:
    """(index URL, where it was configured): uv's variables, then pip's, then pypi.org."""
    environ = os.environ if environ is None else environ
    for var in ("UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"):
        if environ.get(var, "").strip():
            return environ[var].strip().rstrip("/"), var
    found = None
    for path in _pip_conf_files() if conf_files is None else conf_files:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        for section in ("global", "install"):
            url = parser.get(section, "index-url", fallback="").strip()
            if url:
                found = (url.rstrip("/"), f"{path} [{section}] index-url")
    return found or (DEFAULT_INDEX, "default")


class _Anchors(HTMLParser):
    """PEP 503 page -> the same file dicts as PEP 691 JSON."""

    def __init__(self):
        super().__init__()
        self.files = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        attrs = dict(attrs)
        href = attrs.get("href") or ""
        yanked = attrs.get("data-yanked")
        self.files.append({"filename": href.split("#", 1)[0].rsplit("/", 1)[-1],
                           "requires-python": attrs.get("data-requires-python"),
                           "yanked": (yanked or True) if yanked is not None else False})


def parse_page(body: bytes, content_type: str) -> list[dict]:
    """A simple-API page -> [{filename, requires-python, yanked}], trimmed to what the harness uses."""
    if "json" in content_type:
        files = json.loads(body.decode("utf-8"))["files"]
    else:
        parser = _Anchors()
        parser.feed(body.decode("utf-8", "replace"))
        files = parser.files
    return [{"filename": f["filename"], "requires-python": f.get("requires-python"),
             "yanked": f.get("yanked", False)} for f in files]


def _fetch(url: str, timeout: float) -> list[dict]:
    request = urllib.request.Request(url, headers={"Accept": _ACCEPT})
    if url.startswith("file:"):
        # A directory index on disk: its page is index.html; no directory, no such project.
        page = Path(urllib.request.url2pathname(url[len("file:"):])) / "index.html"
        if not page.parent.is_dir():
            return []
        request = urllib.request.Request(page.as_uri())
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        return parse_page(resp.read(), resp.headers.get("Content-Type", "text/html"))


def files(package: str, index_url: str, refresh: bool = False, max_age: float = MAX_AGE,
          timeout: float = 30.0, warn=None) -> list[dict]:
    """The package's files on the index, from the disk cache unless older than max_age or refresh."""
    url = f"{index_url.rstrip('/')}/{package}/"
    slot = hashlib.sha256(index_url.rstrip("/").encode()).hexdigest()[:16]
    path = cache_dir() / "index" / slot / f"{package}.json"
    cached = None
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    if cached and not refresh and time.time() - cached["fetched"] < max_age:
        return cached["files"]
    try:
        got = _fetch(url, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return []
        got, why = None, f"HTTP {exc.code}"
    except (OSError, ValueError, KeyError) as exc:
        got, why = None, getattr(exc, "reason", None) or exc
    if got is None:
        if cached:
            age = (time.time() - cached["fetched"]) / 3600
            (warn or _warn)(f"cannot reach {url} ({why}); using the cached answer from {age:.0f} h ago")
            return cached["files"]
        raise UserError(f"cannot reach the package index at {url} ({why}) and nothing is cached; "
                        "check the network or set UV_DEFAULT_INDEX / PIP_INDEX_URL to a reachable index")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"url": url, "fetched": time.time(), "files": got}), encoding="utf-8")
    os.replace(tmp, path)
    return got


def _warn(text: str) -> None:
    print(f"harness: {text}", file=sys.stderr)


def host_platforms() -> frozenset[str]:
    """Platform tags of wheels that install on this machine (manylinux*, linux_x86_64 here)."""
    return frozenset(tags.platform_tags())


def _wheel_pythons(interpreter: str) -> list[tuple[int, int]]:
    # cp36 -> 3.6; py3 -> every 3.x from 3.6 (bounded by Requires-Python later); pp* do not count.
    if interpreter.startswith("cp") and interpreter[2:].isdigit() and len(interpreter) > 3:
        return [(int(interpreter[2]), int(interpreter[3:]))]
    if interpreter == "py3":
        return [(3, minor) for minor in range(MIN_PYTHON[1], 20)]
    return []


def releases(package: str, entries: list[dict], platforms: frozenset[str]) -> dict[str, Release]:
    """version -> Release for the wheels of `entries` that fit one of `platforms`."""
    by_version: dict[str, dict] = {}
    for entry in entries:
        try:
            _, version, _, wheel_tags = parse_wheel_filename(entry["filename"])
        except InvalidWheelFilename:
            continue  # sdists and oddly named files: the harness installs wheels only
        spec = _specifier(entry.get("requires-python"))
        slot = by_version.setdefault(str(version), {"pythons": set(), "yanked": True})
        slot["yanked"] = slot["yanked"] and bool(entry.get("yanked"))
        for tag in wheel_tags:
            if tag.platform in platforms:
                slot["pythons"].update(p for p in _wheel_pythons(tag.interpreter)
                                       if spec is None or spec.contains(f"{p[0]}.{p[1]}.0"))
    out = {}
    for version, slot in by_version.items():
        pythons = sorted(slot["pythons"])
        out[version] = Release(package, version, tuple(f"{a}.{b}" for a, b in pythons
                                                       if (a, b) >= MIN_PYTHON),
                               slot["yanked"], tuple(f"{a}.{b}" for a, b in pythons))
    return out


def _specifier(text: str | None) -> SpecifierSet | None:
    try:
        return SpecifierSet(text) if text else None
    except InvalidSpecifier:
        return None  # a malformed Requires-Python on an old upload: pip ignores it too


def read(refresh: bool = False, index_url: str | None = None,
         platforms: frozenset[str] | None = None) -> tuple[str, dict[str, dict[str, Release]]]:
    """(index URL, package -> version -> Release) for tensorflow, tensorflow-cpu and tf-nightly."""
    url = index_url or configured_index()[0]
    platforms = host_platforms() if platforms is None else platforms
    return url, {pkg: releases(pkg, files(pkg, url, refresh), platforms)
                 for pkg in (*PACKAGES, NIGHTLY)}


def _commits_file() -> Path:
    return cache_dir() / "nightly-commits.json"


def known_commits() -> dict[str, str]:
    """version -> tf.version.GIT_VERSION of the nightly builds that ran here (learned, cached)."""
    try:
        got = json.loads(_commits_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return got if isinstance(got, dict) else {}


_COMMITS_LOCK = threading.Lock()  # bisect's two probes of a step learn commits at once


def remember_commit(version: str, git_version: str) -> None:
    """Cache a build's git version; a build's commit never changes, so it never expires."""
    with _COMMITS_LOCK:
        if not git_version or known_commits().get(version) == git_version:
            return
        path = _commits_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({**known_commits(), version: git_version}, indent=1,
                                  sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
