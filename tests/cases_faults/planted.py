"""Graph case: y = sum(w * f(x)), f(x) = x sin x with a custom gradient that is wrong in one planted
way (variant `fault`, see _faults.py), for x of 64 or 1024 elements (variant `n`). fault=none is the
true gradient: `grad`; every other fault must read `mismatch` (or `nonfinite`) on every release."""
from _faults import faulty, values, weights

VARIANTS = {"fault": ["none", "scale", "element", "sign", "zero", "swap", "point", "nan"],
            "n": [64, 1024]}


def build(tf, fault="none", n=64):
    x = tf.placeholder(tf.float32, [n], name="x")
    w = tf.constant(weights(n))
    f = faulty(tf, fault)
    return {"targets": {"y": tf.reduce_sum(w * f(x))}, "sources": {"x": x},
            "feeds": {x: values(n)}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
