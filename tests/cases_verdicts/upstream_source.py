"""Two sources on one path: h = x * w is a source, and so is w upstream of it.

The check of h feeds perturbed values of h; once it is done, h must be computed from w again, or
the check of w that follows sees y not move at all and calls w's right gradient a mismatch.
d y / d h = [3, 3, 3], d y / d w = 3 x = [3, 6, 9].
"""


def build(tf):
    x = tf.placeholder(tf.float32, [3], name="x")
    w = tf.Variable([1.0, 2.0, 3.0], name="w")
    h = x * w
    return {"targets": {"y": tf.reduce_sum(3.0 * h)}, "sources": {"h": h, "w": w},
            "feeds": {x: [1.0, 2.0, 3.0]}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
