"""tf.nn.isotonic_regression of a 1-D tensor: its gradient was wrong up to 2.21.0, fixed on master.

TensorFlow issue #127234 (2026-09-11): decreasing isotonic regression of `[4, t, 2]` at `t = 0.7`
pools the last two entries into one block of value `(t + 2) / 2`, so d y[1] / d t is 0.5; with
GradientTape TF 2.21.0 returns 1.0. PR #127550 ("Fix gradient of tf.nn.isotonic_regression for 1-D
inputs", merged into master after 2026-09-17) says why: the gradient's `_MeanAggregator`
(nn_grad.py) splits its input along axis 0 row by row, which for a 1-D input is the data axis, so
the pooled block's gradients were never averaged, and the gradient came back with shape (n, 1)
instead of (n,). In graph mode, as here, that wrong shape makes `tf.gradients` raise on 2.21.0
("Incompatible shapes between op input and calculated input gradient. Forward operation:
IsotonicRegression"): `error`; the nightlies with the fix give a gradient that agrees with finite
differences: `grad`. A 2-D input (one row, `rank=2d`) was always right: that axis is the control.
TF before 2.3 has no tf.nn.isotonic_regression: those releases record `skipped`.

Standalone repro, in any TF >= 2.3 environment:
    python cases/nightly/isotonic_1d.py
"""

VARIANTS = {"rank": ["1d", "2d"], "decreasing": [True, False]}


def build(tf, rank="1d", decreasing=True):
    isotonic = getattr(tf.nn, "isotonic_regression", None)
    if isotonic is None:
        import tensorflow
        isotonic = getattr(tensorflow.nn, "isotonic_regression", None)
    if isotonic is None:
        return {"skip": "tf.nn.isotonic_regression does not exist in this release (added in 2.3)"}
    t = tf.Variable(0.7, dtype=tf.float64, name="t")
    # decreasing: 4 > t < 2 violates the order at t, pooled with 2. increasing: 4 > t pools 4 and t.
    x = tf.stack([tf.constant(4.0, tf.float64), t, tf.constant(2.0, tf.float64)])
    if rank == "2d":
        x = x[None, :]
    y, _ = isotonic(x, decreasing=decreasing)
    y = tf.reshape(y, [3])
    return {"targets": {"y1": y[1], "y": y}, "sources": {"t": t}}


if __name__ == "__main__":
    import tensorflow

    tf = tensorflow.compat.v1
    tf.disable_eager_execution()
    built = build(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for name, target in built["targets"].items():
            grad = tf.gradients(target, [built["sources"]["t"]])[0]
            print(tensorflow.__version__, "d", name, "/ d t:", sess.run(grad))
    print("expected d y1 / d t: 0.5 (the pooled block's mean (t + 2) / 2)")
