"""Graph case whose import switches TF 2.x's v1 behaviour on, as the top of a TF1-era script does.

That switch holds in this case's own cells and nowhere else: b_graph_defaults and c_eager_defaults,
which run after it in the same worker, fail when they see it.
"""
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()


def build(tf):
    on = [name for name, on in [("resource variables", tf.resource_variables_enabled()),
                                ("control flow v2", tf.control_flow_v2_enabled())] if on]
    if on:
        raise RuntimeError("the import's disable_v2_behavior() does not hold in its cell: "
                           + ", ".join(on) + " still on")
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    return {"targets": {"y": w * w}}
