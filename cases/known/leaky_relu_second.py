"""Second derivative of tf.nn.leaky_relu: None up to 1.12, present (zero, right) from 1.13.

Up to 1.12 leaky_relu was maximum(alpha * x, x); its first derivative is a select whose gradient
w.r.t. x is None. https://github.com/tensorflow/tensorflow/pull/21658 ("Add LeakyRelu C++ Op and its
gradient implementation", merged 2018) made it one LeakyRelu op whose LeakyReluGrad is itself
differentiable. Observed on the wheels: `none` on 1.8.0 - 1.12.3, `grad` (all zero, as the true
second derivative away from 0) from 1.13.2 on.

Standalone: python cases/known/leaky_relu_second.py
"""
EXPECTED = {("g", "x"): [("1.8", "none"), ("1.13", "grad")]}


def build(tf):
    x = tf.constant([-1.3, -0.4, 0.7, 2.2], name="x")  # away from the kink at 0
    g = tf.gradients(tf.nn.leaky_relu(x, alpha=0.2), x)[0]  # the target is the first derivative
    return {"targets": {"g": g}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
