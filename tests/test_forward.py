"""Which forward pass an eager cell's finite differences run (harness.inside.judging.forward): the
traced compute() only where its values are compute()'s own. The comparison, numpy only, no TF; the
choice on real TensorFlow is tests/test_forward_integration.py."""
import math

import numpy as np

from harness.inside.judging.forward import TRACE_ULPS, ulps_apart

F32 = np.float32


def values(*arrays):
    return {"y": [np.asarray(a) for a in arrays]}


def test_the_same_values_are_zero_ulps_apart_nan_and_inf_included():
    a = values(np.array([1.0, np.nan, np.inf, -2.0], F32), np.array([3, 4], np.int32))
    assert ulps_apart(a, values(*[x.copy() for x in a["y"]])) == 0.0


def test_a_difference_is_counted_in_ulps_of_the_largest_magnitude():
    x = np.array([4.0, 0.5], F32)
    y = x.copy()
    y[1] += F32(3 * 4.0 * np.finfo(F32).eps)  # 3 ulps of 4.0, far more of 0.5
    assert math.isclose(ulps_apart(values(x), values(y)), 3.0, rel_tol=1e-3)
    assert ulps_apart(values(x), values(y)) <= TRACE_ULPS


def test_a_planted_change_beyond_rounding_is_caught():
    x = np.linspace(-1, 1, 64).astype(F32)
    y = x.copy()
    y[17] *= F32(1.001)  # 0.1% of one element: thousands of ulps
    assert ulps_apart(values(x), values(y)) > TRACE_ULPS


def test_anything_else_that_differs_is_infinitely_far():
    x = np.array([1.0, 2.0], F32)
    nan = np.array([1.0, np.nan], F32)
    assert ulps_apart(values(x), values(nan)) == math.inf  # NaN against a number
    assert ulps_apart(values(nan), values(np.array([1.0, np.inf], F32))) == math.inf
    assert ulps_apart(values(x), values(x.astype(np.float64))) == math.inf  # dtype
    assert ulps_apart(values(x), values(x[:1])) == math.inf  # shape
    assert ulps_apart(values(x), values(x, x)) == math.inf  # how many values
    assert ulps_apart(values(x), {"z": [x]}) == math.inf  # which targets
    assert ulps_apart(values(np.array([1, 2])), values(np.array([1, 3]))) == math.inf  # integers
