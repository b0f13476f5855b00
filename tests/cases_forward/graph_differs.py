"""A planted fault of the traced forward pass: compute() computes another function when traced
(1% larger, as a graph-mode rewrite gone wrong would). The finite differences of that function
would call TensorFlow's right gradient a mismatch; the traced function is refused for being off
compute()'s own values and the check runs compute() itself: `grad`."""
MODE = "eager"


def build(tf):
    w = tf.Variable([0.5, -1.5, 2.0], name="w")

    def compute():
        y = tf.reduce_sum(tf.sin(w) * w)
        return {"y": y if tf.executing_eagerly() else 1.01 * y}

    return {"compute": compute, "sources": {"w": w}}
