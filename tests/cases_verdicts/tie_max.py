"""A tie is a kink: d max(a, b) / d a at a == b has no derivative, and TensorFlow's 1 is a valid
subgradient (the one-sided differences are 0 and 1). The harness gives no verdict there (`grad`),
never `mismatch`; away from the tie the gradient is checked as usual.
"""


def build(tf):
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.constant([1.0, 0.0], name="b")
    return {"targets": {"y": tf.reduce_sum(tf.maximum(a, b))}, "sources": {"a": a}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
