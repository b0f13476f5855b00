"""Wrong gradients of f(x) = x sin x, one kind at a time, for the power tests of the numeric check.

wrong(tf, dy, x, kind) is the gradient a custom_gradient returns: the true one, dy * (sin x + x cos x),
changed as `kind` says. The scale of a gradient is its largest magnitude.
"""
import numpy as np


def values(n):
    """The point every release evaluates at: fixed, in [-2, 2]."""
    return np.random.RandomState(n).uniform(-2.0, 2.0, n).astype("float32")


def weights(n):
    return values(n + 1)[:n] * 0.25 + 1.0


def touched(n):
    """The two elements a fault touches: substantial ones (at least half the gradient's scale), so
    that zeroing or flipping one is a fault of that size, not of a vanishing element."""
    x = values(n)
    g = np.abs(weights(n) * (np.sin(x) + x * np.cos(x)))
    big = [int(i) for i in np.nonzero(g >= 0.5 * g.max())[0]]
    return big[len(big) // 3], big[2 * len(big) // 3]


def true_gradient(tf, dy, x):
    return dy * (tf.sin(x) + x * tf.cos(x))


def wrong(tf, dy, x, kind):
    g = true_gradient(tf, dy, x)
    n = int(x.shape[0])
    at, other = touched(n)
    one = tf.one_hot(at, n, dtype=g.dtype)
    scale = tf.reduce_max(tf.abs(g))
    if kind == "none":
        return g
    if kind == "scale":  # the whole gradient 1% too large
        return g * 1.01
    if kind == "element":  # one element off by 10% of the scale
        return g + 0.1 * scale * one
    if kind == "sign":  # one element's sign flipped
        return g * (1.0 - 2.0 * one)
    if kind == "zero":  # one element zero
        return g * (1.0 - one)
    if kind == "swap":  # two elements swapped
        order = list(range(n))
        order[at], order[other] = other, at
        return tf.gather(g, order)
    if kind == "point":  # the gradient of a nearby point
        return true_gradient(tf, dy, x + 0.05)
    if kind == "nan":  # every element NaN
        return g * float("nan")
    raise ValueError(kind)


def faulty(tf, fault):
    """f(v) = v sin v whose custom gradient is wrong as `fault` says."""
    @tf.custom_gradient
    def f(v):
        def grad(dy):
            return wrong(tf, dy, v, fault)
        return v * tf.sin(v), grad
    return f
