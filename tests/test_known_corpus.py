"""The corpus of documented gradient changes (cases/known/) on every release of tox.ini, for real.

Each case declares its history as a literal: EXPECTED = {(target, source): [(first minor, status),
...]} and optionally EXPECTED_VALUES = {(target, source): [minor of the first release with the new
value, ...]}. The harness must record exactly that history: a verdict that differs is a harness bug
or a wrong EXPECTED, and either must be fixed, never this test.
"""
import ast

import pytest

from harness.host.tables import matrix
from harness.host.reports import report
from harness.host.envs import toxini
from tests.conftest import ROOT, tox

pytestmark = pytest.mark.integration
KNOWN = ROOT / "cases" / "known"


def declared(path, name):
    """A module-level literal of a case file, read without running it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    return {}


def minor(version):
    return ".".join(version.split(".")[:2])


def expected_status(steps, version):
    """The status EXPECTED gives a release: the last step at or before its minor."""
    status = None
    for first, value in steps:
        if matrix.version_key(first) <= matrix.version_key(minor(version)):
            status = value
    return status


def test_expected_histories_are_well_formed():
    cases = sorted(KNOWN.glob("[!_]*.py"))
    assert len(cases) >= 12
    for path in cases:
        expected = declared(path, "EXPECTED")
        assert expected, f"{path.name}: no EXPECTED"
        for pair, steps in expected.items():
            assert isinstance(pair, tuple) and len(pair) == 2, path.name
            assert steps[0][0] == "1.8", f"{path.name} {pair}: history must start at 1.8"
            firsts = [matrix.version_key(first) for first, _ in steps]
            assert firsts == sorted(firsts), f"{path.name} {pair}: steps out of order"
        for pair, steps in declared(path, "EXPECTED_KERAS3").items():
            assert pair in expected and steps[0][0] == "2.16", f"{path.name} {pair}: Keras 3 line"


def test_expected_status_follows_the_steps():
    steps = [("1.8", "unavailable"), ("1.13", "error"), ("2.2", "grad")]
    assert [expected_status(steps, v) for v in ("1.8.0", "1.12.3", "1.13.2", "2.1.4", "2.21.0")] \
        == ["unavailable", "unavailable", "error", "error", "grad"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    raw = tmp_path_factory.mktemp("known")
    envs = [e.name for e in toxini.read()]
    # Cases whose build() raises on some releases (einsum_diagonal) are errors there: exit 1.
    tox("run-parallel", "-p", "2", "-e", ",".join(envs), "--", "--cases", str(KNOWN),
        "--out", str(raw), check=False)
    assert sorted(p.stem for p in raw.glob("*.json")) == sorted(envs)
    return report.build(raw, envs=[])


def histories(tables, case, keras3=False):
    """{(target, source): [(release, status), ...]} of one case, as recorded: its tf-keras line
    (every release), or its Keras 3 line (variant keras=3: the releases that ran it; a cell that
    produced no pairs is one column '*', whose history stands for every pair)."""
    wide = tables.matrix
    out = {}
    for col in wide.columns:
        name, variant, target, source = col
        if name == case and ("keras=3" in variant.split(",")) == keras3:
            out[(target, source)] = [(v, s) for v, s in wide[col].items()
                                     if not keras3 or isinstance(s, str)]
    return out


@pytest.mark.parametrize("path", sorted(KNOWN.glob("[!_]*.py")), ids=lambda p: p.stem)
def test_recorded_history_equals_expected(corpus, path):
    got = histories(corpus, path.stem)
    expected = declared(path, "EXPECTED")
    assert set(expected) <= set(got), f"pairs without results: {set(expected) - set(got)}"
    for pair, steps in expected.items():
        want = [(v, expected_status(steps, v)) for v, _ in got[pair]]
        assert got[pair] == want, f"{path.stem} {pair}"
    keras3 = histories(corpus, path.stem, keras3=True)
    want3 = declared(path, "EXPECTED_KERAS3")
    assert bool(keras3) == bool(want3), f"{path.stem}: a Keras 3 line needs EXPECTED_KERAS3"
    for pair, steps in want3.items():
        got3 = keras3.get(pair) or keras3.get(("*", "*"))
        assert got3, f"{path.stem} {pair}: no Keras 3 result"
        assert [v for v, _ in got3][0].startswith("2.16"), f"{path.stem} {pair}: line starts"
        assert got3 == [(v, expected_status(steps, v)) for v, _ in got3], f"{path.stem} {pair} k3"
    moved = corpus.value_changes[(corpus.value_changes["case"] == path.stem)
                                 & (corpus.value_changes["source"] != "")]
    got_values = {}
    for row in moved.itertuples():
        got_values.setdefault((row.target, row.source), []).append(minor(row.first_new))
    want_values = {pair: list(minors) for pair, minors in
                   declared(path, "EXPECTED_VALUES").items()}
    assert got_values == want_values, f"{path.stem}: value changes of gradients"
