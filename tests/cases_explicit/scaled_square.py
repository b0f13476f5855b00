"""A case from outside cases/: explicit tensor and variable sources, a stop_gradient and an int path."""


def build(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.ones([3]), name="w")
    n = tf.placeholder(tf.int32, [], name="n")
    y = tf.reduce_sum(w * x * x)
    blocked = tf.reduce_sum(tf.stop_gradient(w) * x)
    counted = tf.cast(n, tf.float32) * tf.reduce_sum(w)
    return {"targets": {"y": y, "blocked": blocked, "counted": counted},
            "sources": {"x": x, "w": w}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
