"""Second derivative of tf.nn.softsign: LookupError on every release 1.8 - 2.21, works on the nightly.

https://github.com/tensorflow/tensorflow/pull/126092 ("Register missing SoftsignGrad gradient",
merged 2026-08, reproduced on 2.22.0-dev nightlies: "LookupError: gradient registry has no entry for:
SoftsignGrad"); the same error in a 2019 report, https://github.com/fdavidcl/ruta/issues/37.
The second derivatives of tanh (TanhGrad) exist everywhere: (gt, x) is the control.
Observed on the wheels: (g, x) `error` on all 30 releases and `grad` on the nightly build
2.23.0.dev20261026 (the `tfnightly` environment: the PR has landed); (gt, x) `grad` on all.

Standalone: python cases/known/softsign_second.py
"""
EXPECTED = {("g", "x"): [("1.8", "error"), ("2.23", "grad")],
            ("gt", "x"): [("1.8", "grad")]}


def build(tf):
    x = tf.constant([-1.3, -0.4, 0.7, 2.2], name="x")
    g = tf.gradients(tf.nn.softsign(x), x)[0]
    gt = tf.gradients(tf.tanh(x), x)[0]
    return {"targets": {"g": g, "gt": gt}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
