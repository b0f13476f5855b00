"""Seed case: 1-d conv -> batch norm -> GRU, input chosen by tf.cond, batch dimension None.

On TensorFlow 1.8.0, tf.gradients of the RNN's final state is None for the conv and batch-norm
variables while the gradients of the output are all there; from 1.9.0 on both are complete
(StackOverflow question, shared/seed/). Variant axes change one factor of the configuration at a time.
control_flow: the 1.x while-loop gradient code is control flow v1, which TF 2.x graph mode replaces by
v2 unless told otherwise; v1 keeps the question's configuration on every release, v2 needs TF >= 2.

Standalone repro, in any TensorFlow environment:  python cases/seed_conv_bn_gru.py [axis=value ...]
"""

VARIANTS = {
    "batch": [None, 34],
    "input": ["cond", "direct"],
    "cell": ["gru", "lstm"],
    "seq_len": ["inputs", "none"],
    "control_flow": ["v1", "v2"],
}

STEPS, FEATURES, FILTERS, UNITS, CLASSES = 75, 30, 100, 64, 2


def build(tf, batch=None, input="cond", cell="gru", seq_len="inputs",  # noqa: A002 (axis name)
          control_flow="v1"):
    if int(tf.VERSION.split(".")[0]) < 2:
        if control_flow == "v2":
            return {"skip": "control_flow=v2: TensorFlow 1.x graphs use control flow v1"}
    elif control_flow == "v1":
        tf.disable_control_flow_v2()
    else:
        tf.enable_control_flow_v2()
    shape = [batch, STEPS, FEATURES]
    train_x = tf.placeholder(tf.float32, shape, name="inputs_train")
    devel_x = tf.placeholder(tf.float32, shape, name="inputs_devel")
    training = tf.placeholder(tf.bool, [], name="phase_train")
    dropout = tf.placeholder(tf.float32, [], name="dropout")
    x = tf.cond(training, lambda: train_x, lambda: devel_x) if input == "cond" else train_x

    # 1 where a time step has any non-zero feature; the count of those is each sequence's length.
    used = tf.sign(tf.reduce_max(tf.abs(x), axis=2))
    length = tf.cast(tf.reduce_sum(used, axis=1), tf.int32)

    with tf.variable_scope("layer_cell"):
        h = tf.layers.conv1d(x, FILTERS, 3, padding="same", name="conv1d")
        h = tf.layers.batch_normalization(h, training=training, name="bn")
        h = tf.nn.relu(h)

    with tf.variable_scope("rnn_model"):
        if cell == "gru":
            rnn_cell = tf.nn.rnn_cell.GRUCell(UNITS)
            state0 = tf.placeholder(tf.float32, [batch, UNITS], name="initial_state")
        else:
            rnn_cell = tf.nn.rnn_cell.LSTMCell(UNITS)
            state0 = tf.nn.rnn_cell.LSTMStateTuple(
                tf.placeholder(tf.float32, [batch, UNITS], name="initial_c"),
                tf.placeholder(tf.float32, [batch, UNITS], name="initial_h"))
        rnn_cell = tf.nn.rnn_cell.DropoutWrapper(
            rnn_cell, input_keep_prob=1.0 - dropout, state_keep_prob=1.0 - dropout)
        outputs, new_state = tf.nn.dynamic_rnn(
            rnn_cell, h, initial_state=state0,
            sequence_length=length if seq_len == "inputs" else None)

    with tf.variable_scope("output"):
        # Dense over every time step ([batch, time, classes]), then zero the unused steps.
        logits = tf.layers.dense(outputs, CLASSES, name="dense")
        output = logits * tf.expand_dims(used, 2)

    # Feeds for the numeric check: training-mode batch norm and no dropout make it deterministic.
    return {"targets": {"new_state": new_state, "output": output},
            "feeds": {training: True, dropout: 0.0}}


def _flat(value):
    return [t for item in value for t in _flat(item)] if isinstance(value, (list, tuple)) else [value]


if __name__ == "__main__":
    import sys

    import tensorflow

    tf = tensorflow
    if int(tensorflow.__version__.split(".")[0]) >= 2:
        tf = tensorflow.compat.v1
        tf.disable_eager_execution()
    variant = {}
    for arg in sys.argv[1:]:
        axis, _, text = arg.partition("=")
        values = VARIANTS.get(axis)
        if values is None or text not in [str(v) for v in values]:
            sys.exit("unknown variant {!r}; axes: {}".format(arg, VARIANTS))
        variant[axis] = values[[str(v) for v in values].index(text)]
    print("TensorFlow", tensorflow.__version__, variant or "(default configuration)")
    built = build(tf, **variant)
    if "skip" in built:
        sys.exit(built["skip"])
    targets = built["targets"]
    variables = tf.trainable_variables()
    for name, target in targets.items():
        for var, grad in zip(variables, tf.gradients(_flat(target), variables)):
            print("d {} / d {}: {}".format(name, var.name, "None" if grad is None else "gradient"))
