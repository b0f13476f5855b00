"""Graph case that switches TF 2.x's process-wide v1 behaviours off, as TF1-era code does.

The worker must put them back after the cell: b_graph_defaults and c_eager_defaults, which run
after it in the same worker, fail when they see one still off.
"""


def build(tf):
    tf.disable_resource_variables()
    tf.disable_v2_tensorshape()
    tf.disable_tensor_equality()
    tf.disable_control_flow_v2()
    tf.disable_eager_execution()
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    return {"targets": {"y": w * w}}
