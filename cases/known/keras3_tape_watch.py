"""tape.watch on a Keras layer's kernel: fine with Keras 2, a ValueError with Keras 3.

https://github.com/keras-team/keras/issues/19155 and https://github.com/keras-team/keras/issues/20274:
with Keras 3 (tf.keras from TF 2.16 without TF_USE_LEGACY_KERAS) a layer's weights are
keras.Variable objects, not tf.Variable, and GradientTape.watch() rejects them ("Passed in object
<Variable path=d/kernel ...> ... should be a tensor or a variable"). The case watches the kernel in an
inner tape, as code written for Keras 2 does, and differentiates the squared norm of the inner
gradient (a gradient penalty). Observed on the wheels: `skipped` on 1.x (eager), `grad` on every 2.x
release with Keras 2 (tf.keras, tf-keras from 2.16), `error` with Keras 3 on 2.16.2 - 2.21.0 and the
nightly (keras 3.15.1; keras-nightly 3.16.0.dev).

Standalone: python cases/known/keras3_tape_watch.py (TF_USE_LEGACY_KERAS=0 for Keras 3)
"""
MODE = "eager"
EXPECTED = {("penalty", "kernel"): [("1.8", "skipped"), ("2.0", "grad")]}
EXPECTED_KERAS3 = {("penalty", "kernel"): [("2.16", "error")]}


def build(tf):
    dense = tf.keras.layers.Dense(2, name="d",
                                  kernel_initializer=tf.keras.initializers.Constant(0.5))
    x = tf.constant([[1.0, 2.0, 3.0]])
    dense(x)

    def compute():
        with tf.GradientTape() as inner:
            inner.watch(dense.kernel)
            y = tf.reduce_sum(tf.square(dense(x)))
        g = inner.gradient(y, dense.kernel)
        return {"penalty": tf.reduce_sum(tf.square(g))}

    return {"compute": compute, "sources": {"kernel": dense.kernel}}


if __name__ == "__main__":
    from _standalone import main_eager  # cases/known/_standalone.py

    main_eager(build, EXPECTED)
