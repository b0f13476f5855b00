"""A case whose feeds do not fit its placeholder: a one-line error naming the case and placeholder."""


def build(tf):
    x = tf.placeholder(tf.float32, [3], name="three_values")
    return {"targets": {"y": tf.reduce_sum(x * x)}, "sources": {"x": x},
            "feeds": {x: [1.0, 2.0]}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
