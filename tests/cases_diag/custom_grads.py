"""Gradients checked by hand: y = sum(w * x * x) with x = [1, 2, 3] fed, w a variable of ones.

dy/dw = x * x = [1, 4, 9] and dy/dx = 2 * w * x = [2, 4, 6]. Targets: `right` (TensorFlow's own
gradient), `doubled` (a custom gradient twice the true one: mismatch), `zeroed` (a custom gradient of
zeros: zero), `relu_off` (relu of a negative pre-activation: truly zero, so grad).
"""


def build(tf):
    x = tf.placeholder(tf.float32, [3], name="x")
    w = tf.Variable(tf.ones([3]), name="w")

    def scaled(factor):
        @tf.custom_gradient
        def square_sum(v):
            def grad(dy):
                return factor * dy * 2.0 * v
            return tf.reduce_sum(v * v), grad
        return square_sum

    xw = x * tf.sqrt(w)  # (x sqrt(w))^2 = w x^2
    return {"targets": {"right": tf.reduce_sum(w * x * x), "doubled": scaled(2.0)(xw),
                        "zeroed": scaled(0.0)(xw), "relu_off": tf.nn.relu(-tf.reduce_sum(w * x * x))},
            "sources": {"w": w},
            "feeds": {x: [1.0, 2.0, 3.0]}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
