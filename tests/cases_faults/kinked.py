"""Graph case: a source of 100 elements behind 2000 relu units each, like a batch-norm offset before
a relu: y = sum_jk w_jk relu(x_j + o_jk), at x = 0, w_jk of random sign, o_jk ~ N(0, 0.3^2). Every
step of the finite differences crosses kinks, so block by block they wander by more than one
element's 10% error moves them: the check cannot vouch for each element to 10% of the scale and
must say so (`grad` without a numeric verdict), never a conclusive `grad` - with the true gradient
(fault=none) or with one element off by 12% of the scale (fault=small, a custom gradient; `mismatch`
is right too). One element off by half the scale (fault=element) still reads `mismatch`."""
import numpy as np

VARIANTS = {"fault": ["none", "element", "small"]}
SIZE = {"element": 0.5, "small": 0.12}  # one element off by this share of the scale
N, UNITS = 100, 2000


def constants():
    r = np.random.RandomState(25)
    return (0.3 * r.standard_normal((N, UNITS)).astype("float32"),
            r.standard_normal((N, UNITS)).astype("float32"))


def build(tf, fault="none"):
    offsets, signs = constants()
    x = tf.placeholder(tf.float32, [N], name="x")
    o, w = tf.constant(offsets), tf.constant(signs)

    @tf.custom_gradient
    def layer(v):
        def grad(dy):
            g = dy * tf.reduce_sum(w * tf.cast(v[:, None] + o > 0, tf.float32), axis=1)
            if fault in SIZE:
                g = g + SIZE[fault] * tf.reduce_max(tf.abs(g)) * tf.one_hot(N // 3, N, dtype=g.dtype)
            return g
        return tf.reduce_sum(w * tf.nn.relu(v[:, None] + o), axis=1), grad

    return {"targets": {"y": tf.reduce_sum(layer(x))}, "sources": {"x": x},
            "feeds": {x: np.zeros(N, "float32")}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
