"""Python control flow on a tensor's value: tracing compute() without AutoGraph raises, so the
finite differences run compute() itself, and the gradient is still checked."""
MODE = "eager"


def build(tf):
    w = tf.Variable([0.5, -1.5, 2.0], name="w")

    def compute():
        if float(tf.reduce_sum(w)) > 0:
            return {"y": tf.reduce_sum(tf.sin(w) * w)}
        return {"y": tf.reduce_sum(w)}

    return {"compute": compute, "sources": {"w": w}}
