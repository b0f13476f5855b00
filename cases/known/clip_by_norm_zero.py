"""tf.clip_by_norm of an all-zero tensor: NaN gradient up to 1.11, the right gradient (ones) from 1.12.

Reported on 1.10.1 in https://github.com/tensorflow/tensorflow/issues/22048 ("Bug: Clip by norm NaN
gradients": `tf.gradients(tf.clip_by_norm(tf.zeros([3]), 1.), a)` is `[nan, nan, nan]`, should be
ones because the clip is the identity below the norm). Observed on the wheels: `nonfinite` on
1.8.0 - 1.11.0, `grad` ([1, 1, 1]) from 1.12.3 on (the issue itself does not say which release
fixed it; the wheels do).

Standalone: python cases/known/clip_by_norm_zero.py
"""
EXPECTED = {("y", "x"): [("1.8", "nonfinite"), ("1.12", "grad")]}


def build(tf):
    x = tf.constant([0.0, 0.0, 0.0], name="x")  # a constant pins the point: the norm is 0
    y = tf.clip_by_norm(x, 1.0)
    return {"targets": {"y": y}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
