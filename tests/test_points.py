"""The point's pure logic: `values` checked against the sources, two builds compared, and the
report's once-per-case sentence from raw cells (frozen data, no TensorFlow)."""
import numpy as np
import pytest

from harness.host.tables import analysis
from harness.inside.judging import points


class _DType:
    def __init__(self, name):
        self.as_numpy_dtype = np.dtype(name).type
        self.base_dtype = self


class _Var:
    """A stand-in with what given_values reads: dtype and shape."""

    def __init__(self, shape, variable=True):
        self.dtype, self.shape, self.variable = _DType("float32"), shape, variable


def _check(given, sources):
    return points.given_values(given, sources, lambda v: v.variable, lambda v: v.shape)


def test_given_values_become_arrays_of_the_variables_dtype():
    got = _check({"w": [0, 0]}, {"w": _Var([2])})
    assert got["w"].dtype == np.float32 and got["w"].tolist() == [0.0, 0.0]


@pytest.mark.parametrize("given, message", [
    ({"b": [0.0]}, "values: 'b' is not a source of the case (its sources: t, w)"),
    ({"w": [0.0, 0.0, 0.0]}, "values: source 'w' has shape [2], the value has shape [3]"),
    ({"w": [[0.0, 0.0]]}, "values: source 'w' has shape [2], the value has shape [1, 2]"),
    ({"t": [0.0, 0.0]}, "values: source 't' is a tensor, not a variable"),
])
def test_given_values_that_do_not_fit_name_the_source(given, message):
    with pytest.raises(points.PointError) as err:
        _check(given, {"w": _Var([2]), "t": _Var([2], variable=False)})
    assert str(err.value).startswith(message)


def test_two_builds_agree_only_where_every_element_is_equal():
    first = {"zero": np.zeros(2), "nan": np.array([np.nan, 1.0]), "random": np.array([0.1, 0.2]),
             "gone": np.ones(1), "reshaped": np.ones((2, 1))}
    second = {"zero": np.zeros(2), "nan": np.array([np.nan, 1.0]), "random": np.array([0.1, 0.3]),
              "reshaped": np.ones((1, 2))}
    assert points.same_under_seeds(first, second) == {
        "zero": True, "nan": True, "random": False, "gone": False, "reshaped": False}


def _doc(cells):
    return {"env": {"tf_version": "2.21.0"}, "cells": cells}


def test_seeded_is_said_once_per_case_across_releases_and_variants():
    docs = [_doc([{"case": "a", "values": {"seeded": {"k": "drawn by RandomUniform"}}},
                  {"case": "b", "values": {"deterministic": True}},
                  {"case": "a", "values": {"seeded": {"j": "drawn by TruncatedNormal"}}}]),
            _doc([{"case": "a", "values": {"seeded": {"k": "drawn by RandomUniform"}}},
                  {"case": "c", "status": "error"}])]
    got = analysis.seeded(docs)
    assert [(s.case, s.names, s.drawn_by) for s in got] == [
        ("a", ["j", "k"], ["drawn by RandomUniform", "drawn by TruncatedNormal"])]
    assert got[0].sentence(md=True).startswith(
        "`a`: `j`, `k` have a random initial value (drawn by RandomUniform, drawn by "
        "TruncatedNormal): every release evaluates them at values seeded by name and shape")


def test_many_seeded_variables_are_counted_not_listed():
    names = [f"v{i}" for i in range(9)]
    text = analysis.Seeded("s", names, ["drawn by RandomUniform"]).sentence()
    assert "v0, v1, v2, v3, v4, v5 and 3 more have" in text and "v6" not in text
