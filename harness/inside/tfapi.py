"""The one module that knows how TensorFlow 1.x and 2.x differ.

Inside rules: Python 3.6+, standard library and TensorFlow only, no imports from harness.host.
"""


def load(mode="graph"):
    """(tensorflow module, API handed to cases): the TF1-style graph API, or TF2 eager for 'eager'."""
    import tensorflow as tf
    if mode == "eager":
        return tf, tf
    if int(tf.__version__.split(".")[0]) >= 2:
        api = tf.compat.v1
        # TF 2.x builds graphs only with eager execution off; tf.compat.v1 keeps the 1.x names.
        api.disable_eager_execution()
        return tf, api
    return tf, tf


def versions(tf):
    """TensorFlow's version and git version, under the names each release uses."""
    version = getattr(tf, "__version__", None) or getattr(tf, "VERSION", "")
    git = getattr(tf, "GIT_VERSION", None)
    if git is None:
        git = getattr(getattr(tf, "version", None), "GIT_VERSION", "")
    return {"tf_version": version, "tf_git_version": git}


def flatten(value):
    """Tensors of a target: a tensor, or a (nested) list/tuple such as an LSTMStateTuple."""
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            out.extend(flatten(item))
        return out
    return [value]


def describe_gradient(grad):
    """(status, dtype, shape) of what tf.gradients returned for one source."""
    if grad is None:
        return "none", "", ""
    values = getattr(grad, "values", None)  # IndexedSlices
    tensor = values if values is not None and hasattr(grad, "indices") else grad
    dtype = getattr(getattr(tensor, "dtype", None), "name", "")
    try:
        shape = tensor.shape.as_list()
        shape = "[" + ",".join("None" if d is None else str(d) for d in shape) + "]"
    except (AttributeError, ValueError):
        shape = "unknown"
    if tensor is not grad:
        shape = "IndexedSlices" + shape
    return "grad", dtype, shape


def variable_name(var):
    """A variable's name without the ':0' output suffix."""
    name = var.name
    return name[:-2] if name.endswith(":0") else name
