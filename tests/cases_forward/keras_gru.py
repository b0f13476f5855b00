"""A small Keras GRU, eager: its forward pass traces into a graph function that gives compute()'s
own values, so the finite differences run the traced function (`values.forward`: traced)."""
MODE = "eager"


def build(tf):
    gru = tf.keras.layers.GRU(4, name="gru")
    x = tf.random.stateless_normal([2, 5, 3], seed=[1, 2])

    def compute():
        return {"h": gru(x)}

    compute()
    cell = gru.cell
    return {"compute": compute, "sources": {"kernel": cell.kernel, "bias": cell.bias}}
