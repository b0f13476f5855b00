"""Eager: Embedding(mask_zero=True) -> LSTM -> Dense, sources = the model's own variables.

With Keras 3 (TF >= 2.16 without TF_USE_LEGACY_KERAS) those are keras.Variable objects, not
tf.Variable: the harness once called tape.watch() on them and read `error` on every cell, a false
TensorFlow regression. With tf-keras they are tf.Variable. Either way every gradient is present.
"""
MODE = "eager"


def build(tf):
    layers = tf.keras.layers
    model = tf.keras.Sequential([layers.Embedding(10, 4, mask_zero=True, name="emb"),
                                 layers.LSTM(3, name="lstm"), layers.Dense(1, name="out")])
    tokens = tf.constant([[1, 2, 3, 0], [4, 5, 0, 0]])
    model(tokens)  # creates the weights

    def compute():
        return {"loss": tf.reduce_sum(tf.square(model(tokens) - 1.0))}

    def name(v):  # Keras 3: v.path 'emb/embeddings'; Keras 2: v.name 'emb/embeddings:0'
        return getattr(v, "path", None) or v.name.split(":")[0]

    return {"compute": compute,
            "sources": dict((name(v), v) for v in model.trainable_variables)}
