"""Keras 3 against tf-keras (kerasline), on a frozen tidy table: the two lines compared release by
release, one sentence per case."""
import pandas as pd

from harness.host.tables import kerasline
from harness.host.tables.variants import CaseVariants, Variants

COLS = ["tf_version", "case", "variant", "target", "source", "status", "detail"]


def _variants(case, labels, default=()):
    cv = CaseVariants(default=default, labels=labels, declared=True)
    return Variants({case: cv})


def _tidy(rows):
    return pd.DataFrame(rows, columns=COLS)


def test_the_same_statuses_on_both_lines_are_one_sentence():
    rows = [(v, "k", label, "y", s, "grad", "") for v in ("2.16.2", "2.21.0")
            for label in ("", "keras=3") for s in ("w", "b")]
    rows += [("2.15.1", "k", "", "y", s, "grad", "") for s in ("w", "b")]
    got = kerasline.compare(_tidy(rows), _variants("k", {"": (), "keras=3": (("keras", "3"),)}))
    assert [k.sentences(md=True) for k in got] == [[
        "`k`: the same status with Keras 3 as with tf-keras in every pair (2) on 2.16.2 – 2.21.0"]]


def test_a_status_that_differs_between_the_lines_is_named_with_its_releases():
    labels = {"batch=2": (("batch", "2"),), "batch=2,keras=3": (("batch", "2"), ("keras", "3"))}
    rows = []
    for v, k3 in (("2.16.2", "none"), ("2.17.1", "none"), ("2.18.1", "grad")):
        rows += [(v, "k", "batch=2", "y", "w", "grad", ""), (v, "k", "batch=2,keras=3", "y", "w",
                                                              k3, ""),
                 (v, "k", "batch=2", "y", "b", "grad", ""), (v, "k", "batch=2,keras=3", "y", "b",
                                                              "grad", "")]
    got = kerasline.compare(_tidy(rows), _variants("k", labels, default=(("batch", "2"),)))
    assert got[0].sentences() == [
        "k [default] d y / d (w): grad with tf-keras, none with Keras 3 on 2.16.2 – 2.17.1"]


def test_a_case_that_needs_keras_2_is_one_line_not_a_difference_per_pair():
    why = "conv1d of Keras 2 not in this release: build() raised AttributeError: `conv1d` is ..."
    rows = [(v, "seed", "", "y", s, "grad", "") for v in ("2.16.2", "2.21.0") for s in "wb"]
    rows += [(v, "seed", "keras=3", "*", "*", "unavailable", why) for v in ("2.16.2", "2.21.0")]
    got = kerasline.compare(_tidy(rows), _variants(
        "seed", {"": (), "keras=3": (("keras", "3"),)}))
    assert [k.sentences(md=True) for k in got] == [[
        "`seed` needs Keras 2: `unavailable` with Keras 3 on 2.16.2 – 2.21.0 (conv1d of Keras 2); "
        "with tf-keras it runs"]]


def test_cases_without_a_keras_3_line_say_nothing():
    rows = [("2.21.0", "plain", "", "y", "x", "grad", "")]
    assert kerasline.compare(_tidy(rows), _variants("plain", {"": ()})) == []


def test_a_cell_that_fails_with_keras_3_differs_from_every_pair_of_the_tf_keras_line():
    rows = [(v, "k", "", "y", s, "grad", "") for v in ("2.16.2", "2.21.0") for s in "wb"]
    rows += [(v, "k", "keras=3", "*", "*", "error", "compute() raised ValueError: ...")
             for v in ("2.16.2", "2.21.0")]
    got = kerasline.compare(_tidy(rows), _variants("k", {"": (), "keras=3": (("keras", "3"),)}))
    assert got[0].sentences(md=True) == [
        "`k` every pair: `grad` with tf-keras, `error` with Keras 3 on 2.16.2 – 2.21.0"]
