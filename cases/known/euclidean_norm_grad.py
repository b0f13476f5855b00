"""tf.math.reduce_euclidean_norm: absent up to 1.13, gradient None on 1.14 - 2.0, right from 2.1.

https://github.com/tensorflow/tensorflow/issues/30713 ("Gradient tape with
tf.math.reduce_euclidean_norm disconnects", 2.0.0b1: the gradient is None) and
https://github.com/tensorflow/tensorflow/issues/42573 (1.14: "No gradients provided for any
variable"). Observed on the wheels: AttributeError on 1.8.0 - 1.13.2 (`unavailable`), `none` on
1.14.0, 1.15.5 and 2.0.4, `grad` from 2.1.4 on (tensorflow/python/ops/math_grad.py now registers an "EuclideanNorm" gradient).

Standalone: python cases/known/euclidean_norm_grad.py
"""
EXPECTED = {("n", "x"): [("1.8", "unavailable"), ("1.14", "none"), ("2.1", "grad")]}


def build(tf):
    x = tf.constant([[3.0, -4.0], [1.0, 2.0]], name="x")
    n = tf.math.reduce_euclidean_norm(x, axis=1)
    return {"targets": {"n": n}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
