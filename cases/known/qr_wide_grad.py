"""Gradient of tf.qr for a wide matrix (rows < cols): NotImplementedError up to 2.3, right from 2.4.

https://github.com/tensorflow/tensorflow/pull/39321 ("Add gradient for QR decomposition of wide
matrices (nrows < ncols)", merged 2020; before it QrGrad raised "QrGrad not implemented when
ncols > nrows or full_matrices is true and ncols != nrows"). Observed on the wheels: tf.gradients
raises that NotImplementedError on 1.8.0 - 2.3.4 (`error`) for both outputs, `grad` agreeing with
finite differences from 2.4.4 on.

Standalone: python cases/known/qr_wide_grad.py
"""
EXPECTED = {("q", "a"): [("1.8", "error"), ("2.4", "grad")],
            ("r", "a"): [("1.8", "error"), ("2.4", "grad")]}


def build(tf):
    a = tf.constant([[2.0, -1.0, 0.5], [0.3, 1.5, -0.7]], name="a")  # 2 x 3: wide
    q, r = tf.qr(a)
    return {"targets": {"q": q, "r": r}, "sources": {"a": a}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
