"""Eager case that fails unless eager execution and TF 2.x's defaults hold (after the graph cells)."""

MODE = "eager"


def build(tf):
    v1 = tf.compat.v1
    off = [name for name, on in [
        ("eager execution", tf.executing_eagerly()),
        ("resource variables", v1.resource_variables_enabled()),
        ("control flow v2", v1.control_flow_v2_enabled()),
        ("TensorShape v2", isinstance(tf.TensorShape([3])[0], int)),
        ("tensor equality", not isinstance(tf.constant(1.0) == tf.constant(1.0), bool))] if not on]
    if off:
        raise RuntimeError("left switched off by an earlier cell: " + ", ".join(off))
    w = tf.Variable([1.0, 2.0], name="w")
    return {"compute": lambda: {"y": tf.reduce_sum(w * w)}, "sources": {"w": w}}
