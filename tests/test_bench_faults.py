"""The fault benchmark's own logic (bench/faults.py): each planted fault is what it says, and the
table counts only pairs the check could test (the benchmark itself is not a test)."""
import importlib.util

import numpy as np
import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_faults", ROOT / "bench" / "faults.py")
faults = importlib.util.module_from_spec(spec)
spec.loader.exec_module(faults)

G = np.array([0.5, -2.0, 1.0, 0.01, 1.5, -0.8], dtype="float32")
KEY = ("y", "x")


def changed(kind, size=None, g=G, others=None):
    out = faults.apply(kind, size, g, KEY, others or {})
    return None if out is None else out - g


def test_scale_and_element_faults_have_their_size():
    assert np.allclose(changed("scale", 0.01), 0.01 * G)
    delta = changed("element", 0.1)
    assert np.count_nonzero(delta) == 1 and np.abs(delta).max() == pytest.approx(0.2)  # 0.1 * 2.0


def test_element_faults_touch_a_substantial_element():
    for kind in ("sign", "zero_element"):
        delta = changed(kind)
        [i] = np.nonzero(delta)[0]
        assert abs(G[i]) >= 0.1 * np.abs(G).max()
    assert np.isnan(faults.apply("nan", None, G, KEY, {})).sum() == 1
    swapped = faults.apply("swap_elements", None, G, KEY, {})
    assert sorted(swapped) == sorted(G) and np.count_nonzero(swapped - G) == 2


def test_faults_that_cannot_apply_are_none():
    assert faults.apply("zero_source", None, np.zeros(3, "float32"), KEY, {}) is None
    assert faults.apply("swap_sources", None, G, KEY, {}) is None
    assert faults.apply("scale", 0.1, np.array([1, 2], dtype="int32"), KEY, {}) is None


def test_the_table_counts_pairs_the_check_could_test_and_names_the_misses():
    def pair(status, checked=True, applied=True, size=6, target="y", source="x"):
        return {"target": target, "source": source, "status": status, "checked": checked,
                "applied": applied, "size": size, "detail": ""}

    cell = {"case": "c", "faults": {
        "baseline": [pair("grad"), pair("grad", checked=False, source="u"), pair("mismatch", source="v")],
        "scale:0.1": [pair("mismatch"), pair("mismatch", source="u"), pair("mismatch", source="v")],
        "scale:0.01": [pair("grad"), pair("grad", source="u"), pair("mismatch", source="v")]}}
    cell["faults"]["element:0.1"] = [pair("grad", checked=False), pair("grad", source="u"),
                                     pair("mismatch", source="v")]
    rows, alarms = faults.table([{"tf_version": "9.9.0", "cells": [cell]}])
    got = {name: (caught, testable, missed, doubted)
           for _, name, caught, testable, missed, doubted in rows}
    assert got["scale:0.1"] == (1, 1, [], 0)
    assert got["scale:0.01"] == (0, 1, ["c y/x"], 0)
    # a miss that says it could not tell is counted apart from a conclusive grad
    assert got["element:0.1"] == (0, 1, ["c y/x (no verdict)"], 1)
    assert faults._share(0, 1, 1) == "0% (0 of 1; 1 no verdict)"
    assert [a[1:5] for a in alarms] == [("c", "y", "v", "mismatch")]


class _Inner(object):
    """Two gradient calls of one pair, as the harness makes them: tf.gradients' own (ones) and
    the check's projected one."""

    def __init__(self, values):
        self.values = list(values)

    def gradients(self, projections, pairs):
        return {KEY: self.values.pop(0)}


def test_a_fault_counts_only_where_it_reached_every_gradient_of_the_pair():
    # the swap applies to the first value (two substantial elements that differ) and not to the
    # second (the picked elements equal): the check never saw it, so the pair was not tested
    plain = G.copy()
    projected = np.full(6, 1.0, dtype="float32")
    wrapped = faults.Faulty(_Inner([plain, projected]), "swap_elements", None, ["x"])
    wrapped.gradients(None, [KEY])
    assert wrapped.applied == {KEY}
    wrapped.gradients(None, [KEY])
    assert wrapped.applied == set()
    both = faults.Faulty(_Inner([plain, plain * 3]), "swap_elements", None, ["x"])
    both.gradients(None, [KEY])
    both.gradients(None, [KEY])
    assert both.applied == {KEY}
