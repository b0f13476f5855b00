"""Graph: variables whose initial values the case chose keep them; random ones are seeded.

w = tf.Variable([0, 0]) (chosen: the norm's gradient is NaN there); k from get_variable with its
default Glorot initialiser (random: seeded); c from a Constant initialiser (chosen).
"""


def build(tf):
    w = tf.Variable([0.0, 0.0], name="w")
    k = tf.get_variable("k", shape=[3, 2])
    c = tf.get_variable("c", shape=[2], initializer=tf.constant_initializer([2.0, -1.0]))
    v = tf.Variable(tf.random_normal([2]) * 0.0 + 1.0, name="v")  # a random op among its ancestors
    return {"targets": {"norm": tf.norm(w), "prod": tf.reduce_sum(tf.matmul(tf.ones([1, 3]), k) * c),
                        "vc": tf.reduce_sum(v * c)},
            "sources": {"w": w, "k": k, "c": c, "v": v}}
