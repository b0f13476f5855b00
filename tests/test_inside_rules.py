"""The inside rules, checked on the source: every module that runs in a TensorFlow environment
(harness/inside, harness/schema.py, harness/__init__.py, harness/__main__.py) parses as Python 3.6
and imports only the standard library, TensorFlow, numpy and the harness's own inside modules."""
import ast
import subprocess
import sys

import pytest

from harness.host.envs import interpreters
from tests.conftest import ROOT

INSIDE = sorted((ROOT / "harness" / "inside").rglob("*.py")) + [
    ROOT / "harness" / name for name in ("schema.py", "__init__.py", "__main__.py")]
THIRD_PARTY = {"tensorflow", "numpy"}
OWN = ("harness.inside", "harness.schema")
# In the standard library of the host but not of Python 3.6.
NEWER_STDLIB = {"dataclasses", "contextvars", "graphlib", "zoneinfo", "tomllib", "importlib.metadata",
                "importlib.resources"}
# __main__ dispatches: every command but `run` goes to the host, after its version check.
ALLOWED = {"__main__.py": {"harness.host.cli"}}


def ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def imported(path, source=None):
    """(line, module) of every import of the file, relative ones made absolute."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    source = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            yield node.lineno, module
            for alias in node.names:  # from harness import schema / from harness.inside import x
                if module in ("harness", "harness.inside"):
                    yield node.lineno, module + "." + alias.name


def allowed(module, path):
    top = module.split(".")[0]
    if module in ALLOWED.get(path.name, ()):
        return True
    if top == "harness":
        return module == "harness" or module.startswith(OWN)
    if any(module == m or module.startswith(m + ".") for m in NEWER_STDLIB):
        return False
    return top in THIRD_PARTY or top in sys.stdlib_module_names


def test_the_list_covers_the_inside():
    assert len(INSIDE) > 10 and ROOT / "harness" / "inside" / "tfapi.py" in INSIDE


@pytest.mark.parametrize("path", INSIDE, ids=ids(INSIDE))
def test_parses_as_python_3_6(path):
    source = path.read_text(encoding="utf-8")
    ast.parse(source, filename=str(path), feature_version=(3, 6))  # raises SyntaxError otherwise
    # what the 3.6 grammar accepts but 3.6 does not run
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            assert "annotations" not in [a.name for a in node.names], f"{path}:{node.lineno}"


@pytest.mark.parametrize("path", INSIDE, ids=ids(INSIDE))
def test_imports_only_stdlib_tensorflow_numpy_and_inside_modules(path):
    bad = [f"{path.name}:{line}: {module}" for line, module in imported(path)
           if not allowed(module, path)]
    assert bad == []


@pytest.mark.parametrize("module, ok", [
    ("os", True), ("tensorflow.python.ops", True), ("numpy", True), ("harness.schema", True),
    ("harness.inside.tfapi", True), ("harness", True), ("harness.host", False),
    ("harness.host.tables.load", False), ("pandas", False), ("packaging.version", False),
    ("dataclasses", False), ("importlib.metadata", False), ("importlib.util", True),
])
def test_the_rule_itself(module, ok):
    assert allowed(module, ROOT / "harness" / "inside" / "cli.py") is ok


def test_relative_imports_are_resolved():
    source = "from . import tfapi\nfrom ..host import cli\n"
    assert list(imported(ROOT / "harness" / "inside" / "x.py", source)) == [(1, "harness.inside"), (1, "harness.inside.tfapi"),
                                   (2, "harness.host")]


def test_compiles_under_a_real_python_3_6():
    exe, _ = interpreters.find("python3.6")
    if exe is None:
        pytest.skip("no python3.6 here")
    code = ("import sys\nfor f in sys.argv[1:]:\n"
            "    compile(open(f, encoding='utf-8').read(), f, 'exec')\n")
    proc = subprocess.run([exe, "-c", code, *map(str, INSIDE)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
