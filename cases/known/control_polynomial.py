"""Control: the gradient of x**3 + sin(x) is present and right on every release from 1.8 to 2.21.

No documented change: Pow/Mul/Sin gradients predate the matrix (tf.gradients,
https://www.tensorflow.org/versions/r1.15/api_docs/python/tf/gradients). A corpus row that moves
here points at the harness, not at TensorFlow.

Standalone: python cases/known/control_polynomial.py
"""
EXPECTED = {("y", "x"): [("1.8", "grad")]}


def build(tf):
    x = tf.constant([0.5, -1.2, 2.0], name="x")
    y = x * x * x + tf.sin(x)
    return {"targets": {"y": y}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
