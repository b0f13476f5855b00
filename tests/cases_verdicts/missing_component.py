"""A gradient that misses one element: d sum(cumprod(x)) / dx at x = [2, 0, 3].

cumprod = [2, 0, 0]; the true gradient is [1, 8, 0] (d/dx1 of 2 + 2 x1 + 2 x1 3 = 8). TensorFlow
2.x returns [1, 0, 0]: along its own direction it agrees with finite differences, so only an
element-by-element check (sources of up to 8 elements) can see that it is wrong. TF 1.x divides
by the zero element: NaN.
"""


def build(tf):
    x = tf.constant([2.0, 0.0, 3.0], name="x")
    return {"targets": {"y": tf.reduce_sum(tf.cumprod(x))}, "sources": {"x": x}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
