"""The case names its point: `values` applied on every release, over a random initial value.

Eager: x starts Glorot-random, values puts it at zero, where d norm(x) / dx is NaN.
"""
MODE = "eager"


def build(tf):
    x = tf.Variable(tf.keras.initializers.GlorotUniform()([3]), name="x")
    return {"compute": lambda: {"norm": tf.norm(x), "square": tf.reduce_sum(x * x)},
            "sources": {"x": x}, "values": {"x": [0.0, 0.0, 0.0]}}
