"""Pure logic of the verdicts: which exceptions mean a missing API, value changes across releases."""
import math

import pandas as pd
import pytest

from harness.host.tables import values
from harness.inside import tferrors


@pytest.mark.parametrize("exc, line, name", [
    (AttributeError("module 'tensorflow' has no attribute 'xlogy'"), "", "tensorflow.xlogy"),
    (AttributeError("module 'tensorflow._api.v2.compat.v1.math' has no attribute 'xlogy'"), "",
     "tensorflow.compat.v1.math.xlogy"),
    (AttributeError("module 'tensorflow_core._api.v2.nn' has no attribute 'gelu'"), "",
     "tensorflow.nn.gelu"),
    (AttributeError("module 'tensorflow.tools.api.generator.api.math' has no attribute 'x'"), "",
     "tensorflow.math.x"),
    (ImportError("cannot import name 'gen_foo'"), "    from tensorflow.python.ops import gen_foo",
     "tensorflow.python.ops.gen_foo"),
    (ModuleNotFoundError("No module named 'tensorflow.contrib'", name="tensorflow.contrib"), "",
     "tensorflow.contrib"),
    (ValueError("Op type not registered 'Xlogy' in binary running on host"), "", "op Xlogy"),
])
def test_missing_api_names_what_the_release_lacks(exc, line, name):
    assert tferrors.missing_api(exc, line) == name


@pytest.mark.parametrize("exc, line", [
    (AttributeError("'object' object has no attribute 'foo'"), "y = object().foo"),
    (AttributeError("module 'numpy' has no attribute 'float'"), ""),
    (ImportError("cannot import name 'x'"), "    from numpy import x"),
    (ModuleNotFoundError("No module named 'scipy'", name="scipy"), "import scipy"),
    (LookupError("No gradient defined for operation 'x' (op type: Foo)"), ""),
    (ValueError("shapes do not match"), ""),
])
def test_other_exceptions_are_not_a_missing_api(exc, line):
    assert tferrors.missing_api(exc, line) == ""


def fp(*numbers, nan=0):
    return {"size": len(numbers), "nan": nan, "inf": 0, "scale": max(map(abs, numbers)),
            "values": list(numbers)}


def frame(rows):
    return pd.DataFrame([dict(zip(["tf_version", "case", "variant", "target", "source", "status",
                                   "deterministic", "fingerprint", "floor"], r)) for r in rows])


def test_a_deterministic_value_that_moves_is_a_change_naming_both_releases():
    rows = [("1.8.0", "c", "", "y", "x", "grad", True, fp(1.0, 0.5), 1.0),
            ("1.9.0", "c", "", "y", "x", "grad", True, fp(1.0, 0.5), 1.0),
            ("1.10.1", "c", "", "y", "x", "grad", True, fp(1.0, 1.0), 1.0),
            ("2.0.4", "c", "", "y", "x", "grad", True, fp(1.0, 1.0), 1.0)]
    got = values.changes(frame(rows), tol=1e-3)
    assert got[["last_old", "first_new", "old_value", "new_value"]].values.tolist() == [
        ["1.9.0", "1.10.1", "[1, 0.5]", "[1, 1]"]]
    assert got["change"].iloc[0] == pytest.approx(0.5)


def test_release_order_not_row_order_and_round_off_below_tolerance():
    rows = [("1.10.1", "c", "", "y", "", "", True, fp(2.0), 0.0),
            ("1.9.0", "c", "", "y", "", "", True, fp(2.0000001), 0.0),
            ("1.8.0", "c", "", "y", "", "", True, fp(2.0), 0.0)]
    assert values.changes(frame(rows), tol=1e-3).empty
    assert values.spread(frame(rows)) == pytest.approx(5e-8, rel=1e-3)


def test_non_deterministic_releases_and_status_changes_are_never_value_changes():
    rows = [("1.8.0", "c", "", "y", "x", "grad", True, fp(1.0), 1.0),
            ("1.9.0", "c", "", "y", "x", "grad", False, fp(7.0), 1.0),
            ("1.10.1", "c", "", "y", "x", "grad", True, fp(3.0), 1.0),
            ("1.11.0", "c", "", "y", "x", "mismatch", True, fp(9.0), 1.0)]
    assert values.changes(frame(rows), tol=1e-3).empty


def test_nan_pattern_changes_are_changes_and_nan_equals_nan():
    a, b = fp(1.0, float("nan"), nan=1), fp(1.0, float("nan"), nan=1)
    assert values.difference(a, b) == 0.0
    assert values.difference(a, fp(1.0, 0.0)) == math.inf
    assert values.difference({"why": "not a float tensor (int32)"}, a) is None


def test_a_tiny_gradient_moves_within_the_floor_of_its_target():
    # the conv bias under training-mode batch norm: true gradient 0, float noise ~1e-6 of the
    # target's other gradients; the noise moving is no change of TensorFlow's numbers
    assert values.difference(fp(1e-6), fp(-2e-6), floor=30.0) < 1e-3
    assert values.difference(fp(1e-6), fp(-2e-6)) > 1.0


def test_a_nan_that_moves_to_another_element_is_a_change():
    a = {"size": 2, "nan": 1, "inf": 0, "scale": 1.0, "values": ["nan", 1.0]}
    b = {"size": 2, "nan": 1, "inf": 0, "scale": 1.0, "values": [1.0, "nan"]}
    assert values.difference(a, b) == math.inf


def test_modules_that_only_start_like_tensorflow_are_not_tensorflow():
    exc = AttributeError("module 'tensorflow_addons.layers' has no attribute 'Foo'")
    assert tferrors.missing_api(exc) == ""
