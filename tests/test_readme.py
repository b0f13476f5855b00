"""README.md and docs/ are self-contained: every link and path they name is in the repository."""
import posixpath
import re
import subprocess
import pytest

from harness.host.envs import toxini
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Written by the harness into the checkout: raw files and repros never in git (results/raw/ is in
# .gitignore); matrix-full.* by `report`, committed with the next full run of the matrix.
GENERATED = ("results/raw", "results/repro", "results/matrix-full.")
# The harness's own cache on the user's machine (harness/host/anyrelease/index.py: cache_dir()): it makes it.
HARNESS_CACHE = "~/.cache/tf-regression-harness/"
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"`([^`\s]+)`")
_ABSOLUTE = re.compile(r"(?<![\w.:/~<-])(/[\w.-]+/[\w./<>-]*)")
_OUTSIDE = re.compile(r"(?<![\w./-])(~/[\w./<>-]*|shared/[\w./<>-]+)")


def tracked() -> set[str]:
    """Files of the repository (tracked, or new and not ignored) and their folders, as paths."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    paths = set()
    for line in out.stdout.splitlines():
        parts = line.split("/")
        paths |= {"/".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return paths


def problems(text: str, doc_dir: str, known: set[str]) -> list[str]:
    """Links and paths of one Markdown text that point outside the repository or at nothing.

    doc_dir is the document's folder relative to the repository root ('' for README.md).
    """
    found = [f"{m.group(1)}: outside the repository" for pattern in (_ABSOLUTE, _OUTSIDE)
             for m in pattern.finditer(text) if not m.group(1).startswith(HARNESS_CACHE)]
    prose = _FENCE.sub("", text)
    tops = {p for p in known if "/" not in p}
    for m in _LINK.finditer(prose):
        target = m.group(1).split("#", 1)[0]
        if re.match(r"[a-z]+://", target) or not target:
            if not target.startswith(("https://", "http://")) and target:
                found.append(f"{target}: not a web link")
            continue
        resolved = posixpath.normpath(posixpath.join(doc_dir, target))
        if target.startswith("/") or resolved.startswith(".."):
            found.append(f"link {target}: outside the repository")
        elif resolved not in known:
            found.append(f"link {target}: not a file of the repository")
    for m in _CODE.finditer(prose):
        path = m.group(1).rstrip("/")
        if path.startswith("../") and posixpath.normpath(posixpath.join(doc_dir, path)).startswith(".."):
            found.append(f"`{m.group(1)}`: outside the repository")
            continue
        first = path.split("/", 1)[0]
        if "/" not in m.group(1) or first not in tops:
            continue  # a variable, op or package name, not a path of the repository
        stem = re.split(r"/[^/]*[<*{]", path, maxsplit=1)[0]  # up to the first placeholder
        if stem not in known and not stem.startswith(GENERATED):
            found.append(f"`{m.group(1)}`: no such file in the repository")
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_links_and_paths_stay_in_the_repository(doc):
    rel_dir = "" if doc.parent == ROOT else doc.parent.relative_to(ROOT).as_posix()
    assert problems(doc.read_text(encoding="utf-8"), rel_dir, tracked()) == []


def test_the_check_refuses_what_points_outside():
    known = {"README.md", "docs", "docs/pins.md", "results", "results/matrix.png", "cases"}
    text = ("See [pins](docs/pins.md), ![m](results/matrix.png), <https://example.org>, "
            "`cases/` and `results/raw/<env>.json` and `layer_cell/conv1d/kernel`.\n"
            "From `shared/notes/tf-releases.md`, also shared/notes/x.md, /work/shared/notes, "
            "~/.cache/x, `~/.cache/tf-regression-harness/index/`, [up](../other/README.md), [gone](docs/gone.md), `cases/gone.py`.\n"
            "```sh\ntox -e tf18 -- --out /tmp/raw\n```\n")
    assert problems(text, "", known) == [
        "/work/shared/notes: outside the repository", "/tmp/raw: outside the repository",
        "shared/notes/tf-releases.md: outside the repository", "shared/notes/x.md: outside the repository",
        "~/.cache/x: outside the repository", "link ../other/README.md: outside the repository",
        "link docs/gone.md: not a file of the repository",
        "`cases/gone.py`: no such file in the repository"]
    assert problems("[pins](pins.md), [home](../README.md), `../cases/`", "docs", known) == []
    assert problems("[up](../../x.md) and `../../x/`", "docs", known) == [
        "link ../../x.md: outside the repository", "`../../x/`: outside the repository"]


def pins_rows() -> dict[str, list[str]]:
    """The table 'One environment per minor' of docs/pins.md: tox environment -> its cells."""
    text = (ROOT / "docs" / "pins.md").read_text(encoding="utf-8")
    section = text.split("## One environment per minor", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"\d+\.\d+", cells[0]):
            rows[cells[1]] = cells
    return rows


def test_pins_doc_is_the_pins_of_tox_ini():
    rows = pins_rows()
    envs = toxini.read()
    # one row per release minor; a nightly environment (minor 'nightly') is not in this table
    envs = [e for e in envs if re.fullmatch(r"\d+\.\d+", e.minor)]
    assert sorted(rows) == sorted(e.name for e in envs)
    for env in envs:
        minor, _, pythons, package, others, variables = rows[env.name]
        assert minor == env.minor
        assert pythons.split(", ") == [p.removeprefix("python") for p in env.base_python], env.name
        assert package == env.deps[0], env.name
        assert ([] if others == "-" else others.split("`, `")) == list(env.deps[1:]), env.name
        expected = {k: v for k, v in env.set_env.items()
                    if k not in ("TF_CPP_MIN_LOG_LEVEL", "PYTHONWARNINGS")}
        got = dict(p.split("=", 1) for p in variables.split("`, `")) if variables != "-" else {}
        assert got == expected, env.name


def test_the_layout_table_names_every_module_and_package_of_the_harness():
    """README's Layout section matches the tree: each package dir and module is named there."""
    text = (ROOT / "README.md").read_text()
    layout = text[text.index("## Layout"):text.index("\n## ", text.index("## Layout") + 3)]
    packages = sorted({p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "harness").rglob("*.py")
                       if p.parent != ROOT / "harness"})
    assert packages and [d for d in packages if f"`{d}/`" not in layout] == []
    modules = sorted(p for p in (ROOT / "harness").rglob("*.py") if p.stem not in ("__init__", "__main__"))
    unnamed = [p.relative_to(ROOT).as_posix() for p in modules
               if f"`{p.stem}`" not in layout and f"`{p.relative_to(ROOT).as_posix()}`" not in layout]
    assert len(modules) > 40 and unnamed == []
