"""tf.norm at a zero vector, eager: the gradient is NaN on every 2.x release, 0 on the nightly.

https://github.com/tensorflow/tensorflow/issues/12071 ("Numerical instability of gradient
calculation of tf.norm (nan at 0, inf for small values)", open since 1.2). The point is the bug:
x = tf.Variable([0.0, 0.0]) is a value the case chose, and the harness evaluates there (before,
it loaded seeded values into every trainable variable and read `grad`). Observed on the wheels:
`skipped` on 1.x (eager cases need TF 2), `nonfinite` (2 NaN) on 2.0.4 - 2.21.0, and `grad` on the
nightly build 2.23.0.dev20261026: [0, 0], the subgradient that
https://github.com/tensorflow/tensorflow/pull/109329 proposed (a central difference agrees: 0).

Standalone: python cases/known/norm_zero_eager.py
"""
MODE = "eager"
EXPECTED = {("n", "x"): [("1.8", "skipped"), ("2.0", "nonfinite"), ("2.23", "grad")]}


def build(tf):
    x = tf.Variable([0.0, 0.0], name="x")
    return {"compute": lambda: {"n": tf.norm(x)}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main_eager  # cases/known/_standalone.py

    main_eager(build, EXPECTED)
