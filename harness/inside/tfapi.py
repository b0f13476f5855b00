"""The one module that knows how TensorFlow 1.x and 2.x differ.

What TensorFlow's exceptions say (a missing API, a kernel's failure, a session error's text) is in
tferrors, its other half. Inside rules: Python 3.6+, standard library and TensorFlow only, no imports
from harness.host.
"""
import re

from harness.schema import GRAD, NONE


def load():
    """(tensorflow module, the TF1-style graph API handed to graph cases); eager cases get the first.

    Eager execution stays on (TF 2.x): graph cells are built inside their own tf.Graph().as_default(),
    which is graph mode for that thread whatever the process default, so graph and eager cells share
    one import. tf.compat.v1 keeps the 1.x names; on 1.x both are the tensorflow module.
    """
    import tensorflow as tf
    if int(tf.__version__.split(".")[0]) >= 2:
        return tf, tf.compat.v1
    return tf, tf


def versions(tf):
    """TensorFlow's version and git version, under the names each release uses."""
    version = getattr(tf, "__version__", None) or getattr(tf, "VERSION", "")
    git = getattr(tf, "GIT_VERSION", None)
    if git is None:
        git = getattr(getattr(tf, "version", None), "GIT_VERSION", "")
    # Nightly builds say '2.23.0-dev20261026'; their wheel (and every table) says PEP 440's
    # '2.23.0.dev20261026', which sorts after 2.22.x and before 2.23.0rc0.
    version = re.sub(r"^(\d+\.\d+\.\d+)-dev(\d+)$", r"\1.dev\2", str(version))
    return {"tf_version": version, "tf_git_version": clean_git_version(git)}


def clean_git_version(git):
    """A git version as text: TF 1.13's is bytes, or their repr "b'v1.13.2-5-g04256c8'"."""
    if isinstance(git, bytes):
        git = git.decode("utf-8", "replace")
    git = str(git or "")
    found = re.match(r"""^b(['"])(.*)\1$""", git)
    return found.group(2) if found else git


def devices(tf):
    """The devices this TensorFlow sees, e.g. ['CPU:0']: physical devices on 2.x (and 1.14+); on
    older 1.x a build without CUDA has the CPU only, a CUDA build is asked (device_lib)."""
    config = getattr(tf, "config", None)
    lister = getattr(config, "list_physical_devices", None) or getattr(
        getattr(config, "experimental", None), "list_physical_devices", None)
    try:
        if lister is not None:
            found = [d.name for d in lister()]
        elif not tf.test.is_built_with_cuda():
            found = ["CPU:0"]
        else:
            from tensorflow.python.client import device_lib
            found = [d.name for d in device_lib.list_local_devices()]
    except Exception as exc:  # a device query must never cost the run
        return ["unknown ({})".format(type(exc).__name__)]
    return [re.sub(r"^/(physical_)?device:", "", name) for name in found]


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
        return NONE, "", ""
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
    return GRAD, dtype, shape


def variable_name(var):
    """A variable's name without the ':0' output suffix."""
    name = var.name
    return name[:-2] if name.endswith(":0") else name


def major(tf):
    """TensorFlow's major version number."""
    return int(versions(tf)["tf_version"].split(".")[0])


def eager_unsupported(tf):
    """Why eager cases cannot run on this release, or '' when they can."""
    return eager_unsupported_version(versions(tf)["tf_version"])


def eager_unsupported_version(version):
    """The same from a version string, for the supervisor that never imports TensorFlow."""
    if int(version.split(".")[0]) < 2:
        return ("eager cases use the TF2 eager API (tf.GradientTape with Keras layers as TF 2.x "
                "runs them); TensorFlow {} is 1.x".format(version))
    return ""


def set_seed(tf, seed):
    """The global seeds: TensorFlow's (tf.set_random_seed in 1.x graphs, tf.random.set_seed in TF2)
    and Python's and numpy's, which Keras 2.x (tf-keras, TF >= 2.16) draws unseeded initialisers'
    seeds from: without them two runs of the same cell start from different weights."""
    import random as pyrandom
    import numpy  # every TensorFlow release depends on it
    pyrandom.seed(seed)
    numpy.random.seed(seed % (2 ** 32))
    random = getattr(tf, "random", None)
    setter = getattr(random, "set_seed", None) or getattr(tf, "set_random_seed", None)
    if setter is None:
        setter = random.set_random_seed
    setter(seed)


# Process-wide switches a case may flip (tf.compat.v1.enable/disable_control_flow_v2, and what
# disable_v2_behavior or disable_eager_execution set): (module, attribute) pairs, where they exist.
_SWITCHES = [
    ("tensorflow.python.ops.control_flow_util", "ENABLE_CONTROL_FLOW_V2"),
    ("tensorflow.python.eager.context", "default_execution_mode"),
    ("tensorflow.python.ops.variable_scope", "_DEFAULT_USE_RESOURCE"),
    ("tensorflow.python.ops.resource_variables_toggle", "_DEFAULT_USE_RESOURCE"),
    ("tensorflow.python.framework.tensor_shape", "_TENSORSHAPE_V2_OVERRIDE"),
    ("tensorflow.python.tf2", "_force_enable"),
]


def switches():
    """The process-wide switches as they are now: restore_switches() puts them back after a cell.

    A switch outlives the cell's graph: a case's enable/disable_control_flow_v2() for its variant
    must not reach the next cell, nor a graph case's global v1 switch an eager cell.
    """
    import importlib
    state = []
    for name, attr in _SWITCHES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, attr):
            state.append((module, attr, getattr(module, attr)))
    for name in ("tensorflow.python.framework.tensor", "tensorflow.python.framework.ops"):
        try:  # tensor equality: Tensor._USE_EQUALITY (in framework.tensor from 2.14)
            tensor = importlib.import_module(name).Tensor
        except (ImportError, AttributeError):
            continue
        if "_USE_EQUALITY" in vars(tensor):
            state.append((tensor, "_USE_EQUALITY", tensor._USE_EQUALITY))
        break
    try:  # this thread's eager flag (disable_eager_execution() clears it)
        from tensorflow.python.eager import context
        local = context.context_safe()._thread_local_data
        state.append((local, "is_eager", local.is_eager))
    except (ImportError, AttributeError):
        pass
    return state


def restore_switches(state):
    """Undo whatever a cell switched process-wide."""
    for owner, attr, value in state:
        if getattr(owner, attr) != value:
            setattr(owner, attr, value)


def in_while_loop(op):
    """True for ops inside a control flow v1 while loop (their tensors differ per iteration)."""
    getter = getattr(op, "_get_control_flow_context", None)
    ctx = getter() if getter else None
    while ctx is not None:
        if ctx.IsWhileContext():
            return True
        ctx = ctx.outer_context
    return False


def is_float(dtype):
    """Floating or complex: the dtypes a gradient flows through."""
    dtype = getattr(dtype, "base_dtype", dtype)
    return bool(dtype.is_floating or dtype.is_complex)


def source_op(source):
    """The op a source starts at (a variable's own op, or the tensor's op)."""
    return source.op


def is_variable(source):
    """Variables (ref or resource) as opposed to plain tensors."""
    return hasattr(source, "initializer") and hasattr(source, "assign")


def is_stateful(op):
    """Whether an op's registered definition says it is stateful (random draws, variable reads).
    TF 1.2 - 1.7 graphs leave op.op_def empty: the op registry says it there. True when unknown."""
    op_def = getattr(op, "op_def", None)
    if op_def is None:
        from tensorflow.python.framework import op_def_registry
        if hasattr(op_def_registry, "get"):
            op_def = op_def_registry.get(op.type)
        else:
            op_def = op_def_registry.get_registered_ops().get(op.type)
    return True if op_def is None else bool(op_def.is_stateful)


def tf_variable(source):
    """A Keras 3 variable (keras.Variable: not a tf.Variable, its dtype a string) as the
    tf.Variable that holds its value on the TensorFlow backend; any other source as it is. The tape
    watches that variable when a layer reads the Keras one, so it is the source to differentiate,
    load and read (never tape.watch a Keras variable: it is no tensor)."""
    if is_variable(source):
        return source
    inner = getattr(source, "_value", None)
    return inner if inner is not None and is_variable(inner) else source


def traced(tf, fn):
    """fn traced once into a graph function (tf.function without AutoGraph: Python control flow on
    a tensor raises while tracing instead of being rewritten), or None where there is none."""
    function = getattr(tf, "function", None)
    return function(fn, autograph=False) if function is not None else None


def dense(grad, tf):
    """A gradient as a dense tensor (IndexedSlices are converted)."""
    if hasattr(grad, "indices") and hasattr(grad, "values"):
        return tf.convert_to_tensor(grad)
    return grad


def placeholders(graph, with_default=False):
    """The graph's placeholders that must be fed; with_default also PlaceholderWithDefault."""
    kinds = ("Placeholder", "PlaceholderWithDefault") if with_default else ("Placeholder",)
    return [op.outputs[0] for op in graph.get_operations() if op.type in kinds]


def static_shape(tensor):
    """A tensor's static shape as a list with None for unknown dims, or None if the rank is unknown."""
    try:
        return tensor.shape.as_list()
    except ValueError:
        return None


def session(tf, graph):
    """A session on the graph with every variable initialised (deterministic under the graph seed)."""
    sess = tf.Session(graph=graph, config=tf.ConfigProto(
        intra_op_parallelism_threads=1, inter_op_parallelism_threads=1))
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    return sess


def _tail(name):
    return name.rsplit("/", 1)[-1]


def default_grad_ys(new_ops, ys):
    """The tensors tf.gradients made as ys' default grad_ys (ones shaped like y), or None.

    TF 1.x: Fill(Shape(y), Const 'grad_ys_i'); later releases: ones(shape(y), name='grad_ys_i'),
    a Fill (or a Const) named 'grad_ys_i'. Only ops the call itself created are looked at.
    """
    out = []
    for i, y in enumerate(ys):
        tag = "grad_ys_%d" % i
        rank = y.shape.ndims
        hits = []
        for op in new_ops:
            if len(op.outputs) != 1 or op.outputs[0].dtype != y.dtype:
                continue
            if rank is not None and op.outputs[0].shape.ndims not in (None, rank):
                continue
            if _tail(op.name) == tag or any(_tail(t.op.name) == tag for t in op.inputs):
                hits.append(op)
        if len(hits) > 1:
            hits = [op for op in hits if op.type == "Fill"]
        if len(hits) != 1:
            return None
        out.append(hits[0].outputs[0])
    return out
