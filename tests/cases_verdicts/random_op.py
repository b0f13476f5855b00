"""A gradient that is a fresh random number on every run: y = sum(x * u), u ~ U(0, 1) per run.

Two runs at the same inputs differ, so the cell is non-deterministic: neither a `mismatch` (finite
differences of a random function are noise) nor a value change across releases may come of it.
"""


def build(tf):
    x = tf.constant([1.0, 2.0, 3.0], name="x")
    u = tf.random_uniform([3], name="u")
    return {"targets": {"y": tf.reduce_sum(x * u)}, "sources": {"x": x}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
