"""A planted fault: an eager script whose custom gradient is twice the true one. The numeric
check of a recorded script must say `mismatch` (the same judging as a case's)."""
import tensorflow as tf


@tf.custom_gradient
def square(x):
    def grad(upstream):
        return upstream * 4.0 * x  # the true gradient is 2 x
    return x * x, grad


w = tf.Variable([0.5, -1.0, 2.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(square(w))
print(tape.gradient(y, [w]))
