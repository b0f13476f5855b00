"""The finite-difference maths and value fingerprints (harness.inside.judging.fdmath): numpy only, no TF."""
import math

import numpy as np
import pytest

from harness.inside.judging import fdmath
from harness.schema import GRAD, MISMATCH, NONFINITE, ZERO

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("analytic", [NAN, INF, -INF])
@pytest.mark.parametrize("fd", [1.0, 0.0, NAN, INF])
def test_a_nonfinite_gradient_is_nonfinite_whatever_the_finite_difference(analytic, fd):
    status, facts = fdmath.verdict(analytic, fd, fd, all_zero=False, tol=0.05)
    assert status == NONFINITE
    assert facts["analytic"] in ("nan", "inf", "-inf")  # JSON-safe


@pytest.mark.parametrize("fd, fd_half", [(NAN, 1.0), (1.0, NAN), (INF, INF), (NAN, NAN)])
def test_a_nonfinite_finite_difference_gives_no_verdict_and_no_agreement(fd, fd_half):
    status, facts = fdmath.verdict(1.0, fd, fd_half, all_zero=False, tol=0.05)
    assert status == GRAD
    assert facts["inconclusive"] is True
    assert "rel_error" not in facts  # never an agreement computed from NaN
    assert "not finite" in facts["why"]


def test_a_nonfinite_noise_floor_gives_no_verdict():
    status, facts = fdmath.verdict(2.0, 1.0, 1.0, all_zero=False, tol=0.05, floor=NAN)
    assert (status, facts.get("inconclusive")) == (GRAD, True)


def test_all_zero_gradient_with_a_nan_finite_difference_is_not_called_agreeing():
    status, facts = fdmath.verdict(0.0, NAN, NAN, all_zero=True, tol=0.05)
    assert status == GRAD and facts["inconclusive"] is True


def test_finite_verdicts_are_unchanged():
    assert fdmath.verdict(1.0, 1.01, 1.01, False, 0.05)[0] == GRAD
    assert fdmath.verdict(2.0, 1.0, 1.0, False, 0.05)[0] == MISMATCH
    assert fdmath.verdict(0.0, 1.0, 1.0, True, 0.05)[0] == ZERO
    # a difference that moves with the step (a kink) gets no verdict
    status, facts = fdmath.verdict(2.0, 1.0, 1.5, False, 0.05)
    assert status == GRAD and facts["inconclusive"]


def test_mismatch_detail_in_gradient_terms_for_small_sources():
    facts = {"analytic": 1.6979, "finite_difference": 0.84895, "rel_error": 0.5,
             "components": {"tensorflow": [1.0, 2.0], "finite_differences": [0.5, 1.0]}}
    text = fdmath.describe(MISMATCH, facts, 0.05)
    assert text.startswith("TensorFlow [1, 2], finite differences [0.5, 1]")
    assert "0.5 > 0.05" in text
    assert "1.6979" not in text


def test_mismatch_detail_of_large_sources_labels_the_directional_numbers():
    facts = {"analytic": 1.6979, "finite_difference": 0.84895, "rel_error": 0.5}
    text = fdmath.describe(MISMATCH, facts, 0.05)
    assert "directional derivative" in text and "1.6979" in text and "0.84895" in text


def test_nonfinite_detail_counts_and_shows_finite_differences():
    facts = {"counts": {"nan": 2, "inf": 1, "size": 4},
             "components": {"tensorflow": ["nan", "nan", "inf", 1.0],
                            "finite_differences": [0.0, 0.0, 1.0, 1.0]}}
    text = fdmath.describe(NONFINITE, facts, 0.05)
    assert text.startswith("2 NaN, 1 Inf of 4 elements; TensorFlow [nan, nan, inf, 1]")
    assert "finite differences [0, 0, 1, 1]" in text


def test_fingerprint_of_a_small_value_holds_every_element_json_safe():
    fp = fdmath.fingerprint(np.array([1.0, NAN, -INF], dtype=np.float32))
    assert fp["values"] == [1.0, "nan", "-inf"]
    assert (fp["nan"], fp["inf"], fp["size"], fp["scale"]) == (1, 1, 3, 1.0)


def test_fingerprint_of_a_large_value_is_a_summary_that_moves_with_the_value():
    a = np.linspace(-1, 1, 2000).reshape(40, 50)
    fp = fdmath.fingerprint(a)
    assert "values" not in fp
    assert fp["size"] == 2000 and len(fp["projections"]) == fdmath.PROJECTIONS
    assert math.isclose(fp["norm"], float(np.linalg.norm(a)))
    assert fdmath.fingerprint(a) == fp  # fixed projections: the same value, the same fingerprint
    moved = a.copy()
    moved[3, 4] += 0.1
    assert fdmath.fingerprint(moved)["projections"] != fp["projections"]


def test_fingerprint_of_a_list_of_tensors_and_of_integers():
    fp = fdmath.fingerprint([np.ones(2), np.zeros(1)])
    assert fp["values"] == [1.0, 1.0, 0.0]
    assert fdmath.fingerprint(np.array([1, 2], dtype=np.int32)) == {
        "why": "not a float tensor (int32)"}


def test_same_treats_nan_as_equal_and_any_other_difference_as_not():
    assert fdmath.same([np.array([1.0, NAN])], [np.array([1.0, NAN])])
    assert not fdmath.same([np.array([1.0, NAN])], [np.array([1.0, 2.0])])
    assert not fdmath.same([np.array([1.0])], [np.array([1.0 + 1e-7])])


def test_variable_values_depend_on_name_and_shape_only():
    a = fdmath.variable_value("dense/kernel", [30, 4], np.float32)
    assert np.array_equal(a, fdmath.variable_value("dense/kernel", [30, 4], np.float32))
    assert not np.array_equal(a, fdmath.variable_value("other/kernel", [30, 4], np.float32))
    assert a.dtype == np.float32 and np.abs(a).max() <= math.sqrt(6.0 / 34)
    bias = fdmath.variable_value("dense/bias", [4], np.float32)
    assert bias.min() >= 0.5 and bias.max() <= 1.5


def test_worst_of_several_directions_keeps_the_doubt_and_the_largest_error():
    ok = fdmath.verdict(1.0, 1.0, 1.0, False, 0.05)
    small = fdmath.verdict(1.0, 0.9, 0.9, False, 0.05, scale=9.0)  # 0.011 of the vector's scale
    large = fdmath.verdict(18.0, 9.0, 9.0, False, 0.05, scale=18.0)
    kink = fdmath.verdict(1.0, 0.5, 0.5, False, 0.05, sides=(0.0, 1.0))
    assert kink[0] == GRAD and kink[1]["inconclusive"]
    assert fdmath.worst([ok, kink]) is kink
    assert fdmath.worst([ok, small, large])[1]["rel_error"] == pytest.approx(0.5)
    assert fdmath.worst([large, fdmath.verdict(NAN, 1.0, 1.0, False, 0.05)])[0] == NONFINITE


def test_a_kink_is_no_verdict_only_when_tensorflow_lies_between_the_sides():
    status, facts = fdmath.verdict(1.0, 0.5, 0.5, False, 0.05, sides=(0.0, 1.0))
    assert status == GRAD and "kink or tie" in facts["why"]
    # a value outside the one-sided differences is no subgradient: still a mismatch
    assert fdmath.verdict(3.0, 0.5, 0.5, False, 0.05, sides=(0.0, 1.0))[0] == MISMATCH
    # a smooth function (sides agree): a wrong value stays a mismatch
    assert fdmath.verdict(2.0, 1.0, 1.0, False, 0.05, sides=(1.0, 1.0))[0] == MISMATCH


def test_no_verdict_always_says_why():
    status, facts = fdmath.verdict(2.0, 0.5, 0.9, False, 0.05)  # the difference moves with h
    assert status == GRAD and facts["inconclusive"] and "noise of the step" in facts["why"]
    status, facts = fdmath.verdict(0.0, 1.0, 0.5, True, 0.05)  # all zero, fd within its noise
    assert status == GRAD and facts["inconclusive"] and "all-zero gradient" in facts["why"]
    status, facts = fdmath.verdict(0.0, 0.0, 0.0, True, 0.05)  # all zero and truly flat: agrees
    assert status == GRAD and "inconclusive" not in facts


def test_one_element_of_1024_moving_by_1e_2_of_the_scale_is_a_value_change():
    """Issue 25: above 64 elements the summary missed it (a change of 5e-4 under the 1e-3 tolerance)."""
    from harness.host.tables import values
    g = np.random.RandomState(0).standard_normal(1024).astype("float32")
    moved = g.copy()
    moved[517] += 0.01 * np.abs(g).max()
    a, b = fdmath.fingerprint(g), fdmath.fingerprint(moved)
    assert values.difference(a, b) == pytest.approx(0.01, rel=1e-3)
    assert values.difference(a, b) > values.DEFAULT_TOL


def test_fingerprints_of_two_kinds_are_not_compared():
    """A summary (an older harness) against every element: not a change, not comparable."""
    from harness.host.tables import values
    g = np.linspace(-1, 1, 100)
    summary = dict(fdmath.fingerprint(np.linspace(-1, 1, 2000)), size=100)
    assert values.difference(summary, fdmath.fingerprint(g)) is None


def test_element_resolution_is_what_the_noisiest_conclusive_block_could_see_of_one_element():
    block = np.zeros(16)
    block[:4] = [0.5, -0.5, 0.5, 0.5]  # a block of 4 elements: an error e in one moves it by e/2
    other = np.zeros(16)
    other[4:8] = 0.5
    quiet = (GRAD, {"noise": 0.001})
    loud = (GRAD, {"noise": 0.05})
    doubtful = (GRAD, {"noise": 9.0, "inconclusive": True})
    # 4 estimated errors of 0.05 over the element's weight 0.5, of a gradient whose scale is 2
    got = fdmath.element_resolution([(block, quiet), (other, loud)], 2.0)
    assert got == pytest.approx(4 * 0.05 / 0.5 / 2.0)
    # doubtful and mismatching blocks do not count
    assert fdmath.element_resolution([(other, doubtful), (block, (MISMATCH, {"noise": 9.0})),
                                      (block, quiet)], 2.0) == pytest.approx(4 * 0.001 / 0.5 / 2.0)
    assert fdmath.element_resolution([(other, doubtful)], 2.0) is None


def test_a_conclusive_grad_of_up_to_1024_elements_becomes_no_verdict_where_one_element_is_unseen():
    from harness.inside.judging import fdcheck

    block = np.zeros(100)
    block[:8] = 8 ** -0.5
    other = np.zeros(100)
    other[8:16] = 8 ** -0.5
    gradient = np.ones(100)
    for size, noise, doubt in ((100, 0.05, True), (100, 0.001, False), (2000, 0.05, False)):
        verdict = (GRAD, {"noise": noise, "z": 0.5, "rel_error": 1e-3})
        fdcheck._element_doubt(verdict, [(block, verdict)], gradient, size)
        facts = verdict[1]
        assert facts["element_resolution"] == pytest.approx(4 * noise * 8 ** 0.5)
        assert bool(facts.get("inconclusive")) is doubt, (size, noise)
        if doubt:
            assert facts["why"].startswith("one element could be off by up to 57% of the gradient")
    # a block with no verdict (a kink or tie) leaves its elements unseen, however quiet the others
    verdict = (GRAD, {"noise": 0.001, "z": 0.5, "rel_error": 1e-3})
    kink = (GRAD, {"noise": 0.001, "inconclusive": True, "why": "kink or tie"})
    fdcheck._element_doubt(verdict, [(block, verdict), (other, kink)], gradient, 100)
    assert verdict[1]["inconclusive"]
    assert verdict[1]["why"] == ("1 of its 2 blocks of elements got no verdict (a kink or tie, or "
                                 "noise): one element there could be off and not show")
    both = (GRAD, {"noise": 0.05, "z": 0.5, "rel_error": 1e-3})
    fdcheck._element_doubt(both, [(block, both), (other, kink)], gradient, 100)
    assert both[1]["why"].startswith("1 of its 2 blocks of elements got no verdict (a kink or tie, "
                                     "or noise), and in the others one element could be off by "
                                     "up to 57% of")
    # an all-zero gradient's verdict is whether L moves at all: no share of a zero scale
    flat = (GRAD, {"noise": 0.05, "z": 0.0, "rel_error": 0.0})
    fdcheck._element_doubt(flat, [(block, flat)], np.zeros(100), 100)
    assert "inconclusive" not in flat[1] and "element_resolution" not in flat[1]
    mismatch = (MISMATCH, {"noise": 0.05, "z": 9.0})
    fdcheck._element_doubt(mismatch, [(block, (GRAD, {"noise": 0.05}))], gradient, 100)
    assert mismatch[0] == MISMATCH and "inconclusive" not in mismatch[1]
