"""None gradients with a known cause each (variant `cause`), as users hit them: a round trip through
an integer cast (the break is the cast back to float, `back`), an argmax (its index cast to float,
`index`), a round (`rounded`: Round has no gradient)."""

VARIANTS = {"cause": ["int_cast", "argmax", "round"]}


def build(tf, cause="int_cast"):
    w = tf.Variable(tf.ones([3]), name="w")
    if cause == "int_cast":
        passed = tf.cast(tf.cast(w * 2.0, tf.int32), tf.float32, name="back")
    elif cause == "argmax":
        passed = tf.cast(tf.argmax(w * 2.0), tf.float32, name="index") * tf.ones([3])
    else:
        passed = tf.round(w * 2.0, name="rounded")
    return {"targets": {"y": tf.reduce_sum(tf.square(passed), name="y")}, "sources": {"w": w}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
