"""tf.igamma gradient w.r.t. its first argument a: None up to 1.9, present and right from 1.10.

https://github.com/tensorflow/tensorflow/issues/17995 ("tf.igamma ... returns the incorrect
derivative", reported on 1.6: the derivative w.r.t. `a` was not implemented; the 1.x gradient
function returned None for `a` under "TODO(ebrevdo): Perhaps add the derivative w.r.t. a"). The
IgammaGradA op (https://www.tensorflow.org/versions/r2.2/api_docs/python/tf/raw_ops/IgammaGradA)
now supplies it. Observed on the wheels: d y / d a is `none` on 1.8.0 and 1.9.0, `grad` (agreeing
with finite differences) from 1.10.1 on; d y / d x is `grad` everywhere (the control pair).

Standalone: python cases/known/igamma_grad_a.py
"""
EXPECTED = {("y", "a"): [("1.8", "none"), ("1.10", "grad")],
            ("y", "x"): [("1.8", "grad")]}


def build(tf):
    a = tf.constant([2.0, 3.5], name="a")
    x = tf.constant([1.5, 2.5], name="x")
    y = tf.igamma(a, x)  # tf.compat.v1.igamma on 2.x
    return {"targets": {"y": y}, "sources": {"a": a, "x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
