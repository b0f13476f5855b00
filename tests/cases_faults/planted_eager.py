"""Eager case (GradientTape over a tf.Variable): the planted faults of planted.py."""
from _faults import faulty, values, weights

MODE = "eager"
VARIANTS = {"fault": ["none", "scale", "element", "sign", "zero", "swap", "point", "nan"],
            "n": [64, 1024]}


def build(tf, fault="none", n=64):
    x = tf.Variable(values(n), name="x")
    w = tf.constant(weights(n))
    f = faulty(tf, fault)
    return {"compute": lambda: {"y": tf.reduce_sum(w * f(x.read_value()))}, "sources": {"x": x}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
