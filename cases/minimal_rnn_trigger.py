"""Minimal trigger of the seed's TF 1.8 None: x * w -> GRU in tf.nn.dynamic_rnn, batch dimension None.

Found from the seed's variants (a fixed batch or an LSTM cell remove the None; tf.cond and
sequence_length do not) and by removing parts of its graph: conv1d, batch norm, DropoutWrapper, the
initial-state placeholder and the dense layer are not needed. Each axis puts one part back or changes
one factor, so the matrix shows which matter. On 1.8.0, d new_state / d w is None; from 1.9.0 present.

Standalone repro of the default configuration, in any TF environment:
    python cases/minimal_rnn_trigger.py
"""

VARIANTS = {
    "batch": [None, 4],
    "cell": ["gru", "lstm"],
    "dropout": ["none", "wrapper"],
    "initial_state": ["zeros", "placeholder"],
    "pre": ["scale", "conv_bn"],
}
STEPS, FEATURES, UNITS = 5, 3, 4


def build(tf, batch=None, cell="gru", dropout="none", initial_state="zeros", pre="scale"):
    x = tf.placeholder(tf.float32, [batch, STEPS, FEATURES], name="x")
    if pre == "scale":
        h = x * tf.Variable(tf.ones([FEATURES]), name="w")
    else:
        h = tf.layers.conv1d(x, FEATURES, 3, padding="same", name="conv1d")
        h = tf.layers.batch_normalization(h, training=True, name="bn")
    rnn_cell = tf.nn.rnn_cell.GRUCell(UNITS) if cell == "gru" else tf.nn.rnn_cell.LSTMCell(UNITS)
    if dropout == "wrapper":
        rnn_cell = tf.nn.rnn_cell.DropoutWrapper(rnn_cell, input_keep_prob=1.0, state_keep_prob=1.0)
    if initial_state == "placeholder":
        state0 = tf.placeholder(tf.float32, [batch, UNITS], name="state0")
        if cell == "lstm":
            state0 = tf.nn.rnn_cell.LSTMStateTuple(
                state0, tf.placeholder(tf.float32, [batch, UNITS], name="state0_h"))
        kwargs = {"initial_state": state0}
    else:
        kwargs = {"dtype": tf.float32}
    _, new_state = tf.nn.dynamic_rnn(rnn_cell, h, **kwargs)
    return {"targets": {"new_state": new_state}}


if __name__ == "__main__":
    import tensorflow

    tf = tensorflow
    if int(tensorflow.__version__.split(".")[0]) >= 2:
        tf = tensorflow.compat.v1
        tf.disable_eager_execution()
    new_state = build(tf)["targets"]["new_state"]
    print("TensorFlow", tensorflow.__version__, "(default configuration)")
    for var in tf.trainable_variables():
        grad = tf.gradients(new_state, [var])[0]
        print("d new_state / d {}: {}".format(var.name, "None" if grad is None else "gradient"))
