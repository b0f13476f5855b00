"""A tf.Variable attribute of a Keras layer: a layer weight with Keras 2, untracked with Keras 3.

https://github.com/keras-team/keras/issues/18467 (and Keras 3's list of incompatibilities): Keras 3
layers do not track tf.Variable attributes, so `layer.trainable_variables` leaves them out. A loss
built over the layer's variables (weight decay, as here) gets no gradient for it: `None`. Observed on
the wheels: `skipped` on 1.x (eager), `grad` on every 2.x release with Keras 2 (tf.keras, tf-keras
from 2.16), `none` with Keras 3 on 2.16.2 - 2.21.0 and the nightly.

Standalone: python cases/known/keras3_layer_tf_variable.py (TF_USE_LEGACY_KERAS=0 for Keras 3)
"""
MODE = "eager"
EXPECTED = {("decay", "scale"): [("1.8", "skipped"), ("2.0", "grad")]}
EXPECTED_KERAS3 = {("decay", "scale"): [("2.16", "none")]}


def build(tf):
    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.scale = tf.Variable(2.0, name="scale")

        def call(self, x):
            return x * self.scale

    layer = Scale(name="s")
    layer(tf.constant([1.0, 2.0]))

    def compute():
        decay = tf.constant(0.0)
        for v in layer.trainable_variables:  # empty with Keras 3
            decay += tf.reduce_sum(tf.square(v))
        return {"decay": decay}

    return {"compute": compute, "sources": {"scale": layer.scale}}


if __name__ == "__main__":
    from _standalone import main_eager  # cases/known/_standalone.py

    main_eager(build, EXPECTED)
