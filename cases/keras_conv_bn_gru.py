"""TF2-native counterpart of the seed: tf.keras Conv1D -> BatchNormalization -> GRU returning its state.

Eager mode: gradients of the GRU's final state and of its output w.r.t. every trainable weight, taken
with tf.GradientTape. The harness calls compute() under its tape; TensorFlow 1.x cells are skipped.

Standalone repro, in any TensorFlow 2.x environment:  python cases/keras_conv_bn_gru.py
"""

MODE = "eager"
STEPS, FEATURES, FILTERS, UNITS, BATCH = 75, 30, 100, 64, 2


def build(tf):
    layers = tf.keras.layers
    conv = layers.Conv1D(FILTERS, 3, padding="same", name="conv1d")
    bn = layers.BatchNormalization(name="bn")
    gru = layers.GRU(UNITS, return_sequences=True, return_state=True, name="gru")
    x = tf.random.stateless_normal([BATCH, STEPS, FEATURES], seed=[1, 2])
    state0 = tf.random.stateless_normal([BATCH, UNITS], seed=[3, 4])

    def compute():
        h = tf.nn.relu(bn(conv(x), training=True))
        output, state = gru(h, initial_state=state0)
        return {"state": state, "output": output}

    compute()  # creates the weights
    cell = gru.cell
    sources = {"conv1d/kernel": conv.kernel, "conv1d/bias": conv.bias, "bn/gamma": bn.gamma,
               "bn/beta": bn.beta, "gru/kernel": cell.kernel,
               "gru/recurrent_kernel": cell.recurrent_kernel, "gru/bias": cell.bias}
    return {"compute": compute, "sources": sources}


if __name__ == "__main__":
    import tensorflow

    built = build(tensorflow)
    names = list(built["sources"])
    with tensorflow.GradientTape(persistent=True) as tape:
        targets = built["compute"]()
    print("TensorFlow", tensorflow.__version__)
    for name, target in targets.items():
        grads = tape.gradient(target, [built["sources"][n] for n in names])
        for source, grad in zip(names, grads):
            print("d {} / d {}: {}".format(name, source, "None" if grad is None else "gradient"))
