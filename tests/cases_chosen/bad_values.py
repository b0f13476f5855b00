"""`values` that do not fit the case: a name that is no source, a wrong shape (one line each)."""
VARIANTS = {"fault": ["name", "shape", "tensor"]}


def build(tf, fault="name"):
    w = tf.Variable([1.0, 2.0], name="w")
    t = tf.constant([1.0, 2.0], name="t")
    values = {"name": {"nosuch": [0.0, 0.0]}, "shape": {"w": [0.0, 0.0, 0.0]},
              "tensor": {"t": [0.0, 0.0]}}[fault]
    return {"targets": {"y": tf.reduce_sum(w * t)}, "sources": {"w": w, "t": t}, "values": values}
