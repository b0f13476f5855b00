"""Graph case that fails unless TF 2.x's defaults hold in its graph (after a_flip_switches).

(Tensor equality is c_eager_defaults' to check: graph tensors compare by identity either way.)
"""


def build(tf):
    x = tf.placeholder(tf.float32, [3], name="x")
    off = [name for name, on in [
        ("resource variables", tf.resource_variables_enabled()),
        ("control flow v2", tf.control_flow_v2_enabled()),
        ("TensorShape v2", isinstance(tf.TensorShape([3])[0], int))] if not on]
    if off:
        raise RuntimeError("left switched off by an earlier cell: " + ", ".join(off))
    w = tf.get_variable("w", [3], initializer=tf.ones_initializer())
    return {"targets": {"y": tf.reduce_sum(w * x)}, "feeds": {x: [1.0, 2.0, 3.0]}}
