"""tf.nn.fused_batch_norm (inference) with epsilon=1e-6: the clamp of epsilon to 1.001e-5 goes in 2.12.

Up to 2.11 `nn_impl.fused_batch_norm` replaced any epsilon below 1.001e-5 by 1.001e-5 ("a requirement
by CUDNN"); https://github.com/tensorflow/tensorflow/issues/37768 ("min_epsilon of fused_batch_norm
is incorrect", 2020) points out that cuDNN lowered its minimum to 0 and asks for the clamp to go
(https://github.com/tensorflow/tensorflow/pull/53065 tried to change it). In the matrix's wheels the
two lines `min_epsilon = 1.001e-5` / `epsilon = epsilon if epsilon > min_epsilon else min_epsilon`
are in python/ops/nn_impl.py of 1.8.0 - 2.11.1 and gone from 2.12.1 on, so the requested epsilon is
used as given. I found no RELEASE.md line for it; the release is the wheels'.

Here a channel with variance 0 is normalised at its mean: y = scale * (x - mean) / sqrt(var + eps)
+ offset = 0 on every release (the target's own value does not move), but dy/dx = 1 / sqrt(eps):
1 / sqrt(1.001e-5) = 316.07 on 1.8 - 2.11, 1 / sqrt(1e-6) = 1000 from 2.12 on. Forward and gradient
use the same epsilon, so finite differences agree on every release: the status stays `grad`, only
the value moves.

Standalone: python cases/known/fused_bn_min_epsilon.py
"""
EXPECTED = {("y", "x"): [("1.8", "grad")]}
EXPECTED_VALUES = {("y", "x"): ["2.12"]}


def build(tf):
    x = tf.constant([[[[0.5], [0.5]]]], name="x")  # NHWC, one channel, at its mean
    scale = tf.constant([1.0], name="scale")
    offset = tf.constant([0.0], name="offset")
    mean = tf.constant([0.5], name="mean")
    variance = tf.constant([0.0], name="variance")
    y, _, _ = tf.nn.fused_batch_norm(x, scale, offset, mean=mean, variance=variance,
                                     epsilon=1e-6, is_training=False)
    return {"targets": {"y": y}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
