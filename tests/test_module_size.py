"""Every module of the harness stays under 300 lines."""
from tests.conftest import ROOT

LIMIT = 300


def test_every_module_is_under_the_limit():
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for p in (ROOT / "harness").rglob("*.py")}
    assert len(sizes) > 30
    assert {p: n for p, n in sizes.items() if n >= LIMIT} == {}
