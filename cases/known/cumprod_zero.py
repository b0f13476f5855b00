"""tf.cumprod gradient at a zero element: NaN up to 2.4, a wrong 0 from 2.5 to 2.21, right on the nightly.

https://github.com/tensorflow/tensorflow/issues/3862 ("tf.cumprod's gradient produces nans given
zeros": the gradient divides by x) and https://github.com/tensorflow/tensorflow/issues/119430
("`tf.math.cumprod` gradient is incorrect when input contains zeros", reported on 2.13.1 and 2.16+:
the zero element gets 0 instead of the right value; the fix, https://github.com/tensorflow/tensorflow/pull/120282
(2026), is not in 2.21.0 according to the wheels). Here c = cumprod([2, s, 3]) at s = 0, so dc/ds = [0, 2, 6] and
d sum(r*c)/ds = 2 r1 + 6 r2 != 0. Observed on the wheels: NaN on 1.8.0 - 2.4.4 (`nonfinite`), an
all-zero gradient from 2.5.3 to 2.21.0 that finite differences contradict (`zero`), and `grad` on
the nightly build 2.23.0.dev20261026 (the `tfnightly` environment): the fix has landed there.

Standalone: python cases/known/cumprod_zero.py
"""
EXPECTED = {("c", "s"): [("1.8", "nonfinite"), ("2.5", "zero"), ("2.23", "grad")]}


def build(tf):
    s = tf.constant(0.0, name="s")  # the zero element is the source
    x = tf.stack([tf.constant(2.0), s, tf.constant(3.0)])
    c = tf.cumprod(x)
    return {"targets": {"c": c}, "sources": {"s": s}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
