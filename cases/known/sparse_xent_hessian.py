"""Second derivative of sparse_softmax_cross_entropy_with_logits: LookupError up to 2.1, right from 2.2.

https://github.com/tensorflow/tensorflow/issues/27875 (on 2.0-alpha: "LookupError: Gradient
explicitly disabled. Reason: ... no way to take the second derivative of
sparse_softmax_cross_entropy_with_logits") and https://github.com/tensorflow/tensorflow/pull/31700
("Implement Hessian for sparse softmax cross entropy", merged 2020). The dense
softmax_cross_entropy_with_logits_v2 has had its second derivative since 2017
(https://github.com/tensorflow/tensorflow/pull/7948): the pair (gd, z) is the control.
Observed on the wheels: (g, z) `error` on 1.8.0 - 2.1.4, `grad` from 2.2.3 on; (gd, z) `grad` everywhere.

Standalone: python cases/known/sparse_xent_hessian.py
"""
EXPECTED = {("g", "z"): [("1.8", "error"), ("2.2", "grad")],
            ("gd", "z"): [("1.8", "grad")]}


def build(tf):
    z = tf.constant([[0.2, -0.5, 1.0], [1.5, 0.3, -0.2]], name="z")
    labels = tf.constant([2, 0])
    sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z)
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(labels, 3), logits=z)
    # Targets are (weighted) first derivatives; the harness differentiates them once more. The
    # weights keep the standalone repro's summed second derivative away from 0 (Hessian rows sum to 0).
    weights = tf.constant([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    g = tf.gradients(tf.reduce_sum(sparse), z)[0] * weights
    gd = tf.gradients(tf.reduce_sum(dense), z)[0] * weights
    return {"targets": {"g": g, "gd": gd}, "sources": {"z": z}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
