"""ForwardAccumulator over a Keras layer's kernel: fine with Keras 2, an AttributeError with Keras 3.

https://github.com/tensorflow/tensorflow/issues/79523: with Keras 3 a layer's kernel is a
keras.Variable whose dtype is a string ('float32'), and tf.autodiff.ForwardAccumulator fails on it
("'str' object has no attribute 'is_floating'"). The case takes the JVP of a Dense layer's output
along a tangent of its kernel, and differentiates it w.r.t. the input. Observed on the wheels:
`skipped` on 1.x (eager), `unavailable` on 2.0.4 (no tf.autodiff), `grad` from 2.1.4 on with Keras 2
(tf.keras, tf-keras from 2.16), `error` with Keras 3 on 2.16.2 - 2.21.0 and the nightly.

Standalone: python cases/known/keras3_forward_accumulator.py (TF_USE_LEGACY_KERAS=0 for Keras 3)
"""
MODE = "eager"
EXPECTED = {("jvp", "x"): [("1.8", "skipped"), ("2.0", "unavailable"), ("2.1", "grad")]}
EXPECTED_KERAS3 = {("jvp", "x"): [("2.16", "error")]}


def build(tf):
    dense = tf.keras.layers.Dense(2, name="d",
                                  kernel_initializer=tf.keras.initializers.Constant(0.5))
    x = tf.Variable([[1.0, 2.0, 3.0]], name="x")
    dense(x)

    def compute():
        tangent = tf.ones(dense.kernel.shape)
        with tf.autodiff.ForwardAccumulator(primals=dense.kernel, tangents=tangent) as acc:
            y = tf.reduce_sum(tf.square(dense(x)))
        return {"jvp": acc.jvp(y)}

    return {"compute": compute, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main_eager  # cases/known/_standalone.py

    main_eager(build, EXPECTED)
