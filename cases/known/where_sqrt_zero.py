"""tf.where(x > 0, sqrt(x), 0) at x = 0: NaN gradient up to 1.13, 0 (finite) from 1.14 on.

The unselected sqrt branch gets a zero upstream gradient and SqrtGrad computed 0 * 0.5 / sqrt(0) =
NaN (https://github.com/tensorflow/tensorflow/issues/4914, "Keeping gradient of sqrt(x) stable for
x = 0"; https://github.com/tensorflow/tensorflow/issues/20091 reports the tf.where NaN on 1.8.0).
https://github.com/tensorflow/tensorflow/issues/118674 (2026) tabulates the current non-XLA gradient
of `where(x>0, sqrt(x), 0)` at 0.0 as 0. Observed on the wheels: `nonfinite` ([nan, 0.25]) on
1.8.0 - 1.13.2, `grad` ([0, 0.25]) from 1.14.0 on: from 1.14 SqrtGrad (also RsqrtGrad and
ReciprocalGrad, not a plain division) returns 0 where the upstream gradient is 0. I found no
RELEASE.md line for this 1.14 change; the release is the wheels'.

Standalone: python cases/known/where_sqrt_zero.py
"""
EXPECTED = {("y", "x"): [("1.8", "nonfinite"), ("1.14", "grad")]}


def build(tf):
    x = tf.constant([0.0, 4.0], name="x")
    y = tf.where(x > 0, tf.sqrt(x), tf.zeros_like(x))
    return {"targets": {"y": y}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
