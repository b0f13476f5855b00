"""tf.einsum with a repeated index ("ii->i", the diagonal): ValueError up to 1.15, works from 2.1.

https://github.com/tensorflow/tensorflow/issues/24374 ("tf.einsum doesn't compute the trace
correctly", 1.12: the Python einsum of 1.x did not handle a repeated index in one operand; labelled
type:feature). From 2.1 tf.einsum accepts the repeated index and differentiates it. Observed on the
wheels: build() raises ValueError ("Invalid equation" on 1.8 - 1.12, "Subscript not supported: an
axis appears more than once" on 1.13 - 1.15; 2.0.4 too) -> `error` on 1.8.0 - 2.0.4, `grad` from 2.1.4 on.

Standalone: python cases/known/einsum_diagonal.py
"""
EXPECTED = {("d", "a"): [("1.8", "error"), ("2.1", "grad")]}


def build(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="a")
    d = tf.einsum("ii->i", a)
    return {"targets": {"d": d}, "sources": {"a": a}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
