"""A gradient that TensorFlow cannot compute at these inputs: d det(A) / dA at a singular A raises
(the gradient uses A's inverse) while det(A) = 0 evaluates. That is `error`, never `grad`.
"""


def build(tf):
    a = tf.constant([[1.0, 2.0], [2.0, 4.0]], name="a")
    return {"targets": {"det": tf.matrix_determinant(a)}, "sources": {"a": a}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
