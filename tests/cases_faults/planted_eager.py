"""Eager case (GradientTape over a tf.Variable): the planted faults of planted.py."""
from _faults import values, weights, wrong

MODE = "eager"
VARIANTS = {"fault": ["none", "scale", "element", "sign", "zero", "swap", "point", "nan"],
            "n": [64, 1024]}


def build(tf, fault="none", n=64):
    x = tf.Variable(values(n), name="x")
    w = tf.constant(weights(n))

    @tf.custom_gradient
    def f(v):
        def grad(dy):
            return wrong(tf, dy, v, fault)
        return v * tf.sin(v), grad

    return {"compute": lambda: {"y": tf.reduce_sum(w * f(x.read_value() if hasattr(x, "read_value") else x))},
            "sources": {"x": x}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
