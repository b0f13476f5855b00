"""A Keras layer inside a tf.Module: tracked with Keras 2, invisible to the module with Keras 3.

https://github.com/tensorflow/tensorflow/issues/84019: with Keras 3, tf.Module does not track
keras.Variable objects (nor a Keras layer's weights), so `module.trainable_variables` is empty. Code
that builds a loss over the module's variables (weight decay, as here) silently loses its gradient:
`None`, not an error. Observed on the wheels: `skipped` on 1.x (eager), `grad` on every 2.x release
with Keras 2 (tf.keras, tf-keras from 2.16), `none` with Keras 3 on 2.16.2 - 2.21.0 and the nightly.

Standalone: python cases/known/keras3_module_tracking.py (TF_USE_LEGACY_KERAS=0 for Keras 3)
"""
MODE = "eager"
EXPECTED = {("decay", "kernel"): [("1.8", "skipped"), ("2.0", "grad")]}
EXPECTED_KERAS3 = {("decay", "kernel"): [("2.16", "none")]}


def build(tf):
    class Model(tf.Module):
        def __init__(self):
            super(Model, self).__init__()
            self.dense = tf.keras.layers.Dense(2, name="d")

    model = Model()
    model.dense(tf.constant([[1.0, 2.0, 3.0]]))

    def compute():
        decay = tf.constant(0.0)
        for v in model.trainable_variables:  # empty with Keras 3
            decay += tf.reduce_sum(tf.square(v))
        return {"decay": decay}

    return {"compute": compute, "sources": {"kernel": model.dense.kernel}}


if __name__ == "__main__":
    from _standalone import main_eager  # cases/known/_standalone.py

    main_eager(build, EXPECTED)
