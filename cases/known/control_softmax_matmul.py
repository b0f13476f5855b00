"""Control: softmax(a @ w)[:, 0] has a right gradient w.r.t. both factors on every release 1.8 - 2.21.

No documented change (MatMul and Softmax gradients are as old as TensorFlow;
https://www.tensorflow.org/versions/r1.15/api_docs/python/tf/nn/softmax). Both pairs must stay `grad`.

Standalone: python cases/known/control_softmax_matmul.py
"""
EXPECTED = {("p", "a"): [("1.8", "grad")], ("p", "w"): [("1.8", "grad")]}


def build(tf):
    a = tf.constant([[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]], name="a")
    w = tf.constant([[0.5, -0.2], [0.1, 0.8], [-0.6, 0.3]], name="w")
    p = tf.nn.softmax(tf.matmul(a, w))[:, 0]  # one column: the summed gradient is not trivially 0
    return {"targets": {"p": p}, "sources": {"a": a, "w": w}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
