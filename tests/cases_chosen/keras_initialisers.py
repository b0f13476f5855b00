"""Eager: a Keras layer with a Constant kernel keeps it; a Glorot one is seeded (points).

y = c(x) + g(x) for Dense layers c (kernel Constant(0.5), no bias) and g (Glorot kernel, zero
bias): d y / d x is 0.5 + g's kernel row sums, so its value shows which kernel values were used.
"""
MODE = "eager"


def build(tf):
    layers = tf.keras.layers
    c = layers.Dense(1, use_bias=False, name="c",
                     kernel_initializer=tf.keras.initializers.Constant(0.5))
    g = layers.Dense(1, name="g")
    x = tf.Variable([[1.0, 2.0, 3.0]], name="x")

    def compute():
        return {"y": c(x) + g(x), "cy": c(x)}

    compute()
    return {"compute": compute,
            "sources": {"x": x, "c/kernel": c.kernel, "g/kernel": g.kernel, "g/bias": g.bias}}
