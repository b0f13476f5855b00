"""A None gradient whose break point is known: w -> stop_gradient -> square -> sum."""


def build(tf):
    w = tf.Variable(tf.ones([3]), name="w")
    blocked = tf.stop_gradient(w * 2.0, name="blocker")
    return {"targets": {"y": tf.reduce_sum(tf.square(blocked), name="y")}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
