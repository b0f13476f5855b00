"""APIs this release does not have: `unavailable`; any other AttributeError stays `error`.

VARIANTS picks the way the API is missing: an attribute of the tensorflow module, a module that
cannot be imported, or an attribute of a plain Python object (a bug in the case, not TensorFlow's).
"""
VARIANTS = {"how": ["attribute", "import", "not_tensorflow"]}


def build(tf, how="attribute"):
    x = tf.constant([1.0, 2.0], name="x")
    if how == "attribute":
        y = tf.no_such_op_in_any_release(x)
    elif how == "import":
        from tensorflow.python.ops import no_such_module_in_any_release  # noqa: F401
        y = x
    else:
        y = object().no_such_attribute
    return {"targets": {"y": y}, "sources": {"x": x}}


if __name__ == "__main__":
    import tensorflow as tf
    build(tf)
