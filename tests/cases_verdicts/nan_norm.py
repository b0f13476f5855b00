"""A NaN gradient: the Euclidean norm of a zero vector, and a finite control on the same input.

d ||x|| / dx = x / ||x|| is 0 / 0 at x = 0: TensorFlow returns NaN there on every release, which the
harness must call `nonfinite`, never `grad`. d sum(x * x) / dx = 2x = 0 is finite: `grad`.
`as_int` is not a float tensor: it has no value fingerprint.
"""


def build(tf):
    x = tf.constant([0.0, 0.0, 0.0], name="x")
    return {"targets": {"norm": tf.norm(x), "square": tf.reduce_sum(x * x),
                        "as_int": tf.cast(tf.reduce_sum(x), tf.int32)},
            "sources": {"x": x}}


if __name__ == "__main__":
    import tensorflow
    tf = tensorflow.compat.v1 if tensorflow.__version__.startswith("2") else tensorflow
    if tensorflow.__version__.startswith("2"):
        tf.disable_eager_execution()
    built = build(tf)
    with tf.Session() as sess:
        print(sess.run(tf.gradients(built["targets"]["norm"], built["sources"]["x"])))
