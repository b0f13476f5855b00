"""tf.math.special.bessel_j0 / bessel_y1: no such API up to 2.2, from 2.3 on with right gradients.

RELEASE.md of 2.3.0, under `tf.math`: "Add Bessel functions of order 0,1 to `tf.math.special`."
(https://github.com/tensorflow/tensorflow/blob/master/RELEASE.md). They are TF2 names: build()
reaches them through the `tensorflow` module, still in graph mode. Observed on the wheels: build()
raises AttributeError (no `special` under tf.math, or no `bessel_j0` in it) on 1.8.0 - 2.2.3
(`unavailable`), `grad` agreeing with finite differences from 2.3.4 on for both functions.

Standalone: python cases/known/bessel_special_api.py
"""
EXPECTED = {("j0", "x"): [("1.8", "unavailable"), ("2.3", "grad")],
            ("y1", "x"): [("1.8", "unavailable"), ("2.3", "grad")]}


def build(tf):
    import tensorflow  # tf.math.special is a TF2 namespace
    x = tf.constant([0.5, 1.5, 2.0], name="x")
    special = tensorflow.math.special
    return {"targets": {"j0": special.bessel_j0(x), "y1": special.bessel_y1(x)},
            "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
