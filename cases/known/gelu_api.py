"""tf.nn.gelu: no such API up to 2.3, from 2.4 on an op with a right gradient.

Requested in https://github.com/tensorflow/tensorflow/issues/32783 ("GELU activation Functions?",
TF 2.0; first PR https://github.com/tensorflow/tensorflow/pull/33945 "Add gelu", closed); the API
pages start at r2.4 (https://www.tensorflow.org/versions/r2.5/api_docs/python/tf/nn/gelu) and
https://github.com/OpenNMT/OpenNMT-tf/pull/913 notes "This function is available since TensorFlow
2.4". It is a TF2 name: build() reaches it through the `tensorflow` module, still in graph mode.
Observed on the wheels: AttributeError `module 'tensorflow...nn' has no attribute 'gelu'` on
1.8.0 - 2.3.4 (`unavailable`), `grad` from 2.4.4 on.

Standalone: python cases/known/gelu_api.py
"""
EXPECTED = {("y", "x"): [("1.8", "unavailable"), ("2.4", "grad")]}


def build(tf):
    import tensorflow  # tf.nn.gelu has no tf.compat.v1 alias in every release; graph mode anyway
    x = tf.constant([-1.0, 0.3, 2.0], name="x")
    y = tensorflow.nn.gelu(x)
    return {"targets": {"y": y}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
