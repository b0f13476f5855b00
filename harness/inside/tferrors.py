"""What TensorFlow's exceptions say, across releases: an API the release lacks, a kernel's failure
at run time, the informative line of a session error. The other half of tfapi's TF-version knowledge.
And whose exception it is: the case's (a cell's `error` or `unavailable`), or the harness's own
(`harness_error`: never a TensorFlow finding).

Inside rules: Python 3.6+, standard library and TensorFlow only, no imports from harness.host.
"""
import os
import re
import traceback

from harness.schema import ERROR, UNAVAILABLE

_TF_MODULES = re.compile(r"^(tensorflow|tensorflow_core|tf_keras|keras|tensorboard)(\.|$)")


def _public(name):
    """'tensorflow_core._api.v2.math.x' -> 'tensorflow.math.x': the name as users write it."""
    name = re.sub(r"^tensorflow_core\b", "tensorflow", name)
    return re.sub(r"^tensorflow\.(?:_api\.v\d+\.|tools\.api\.generator\.api\.)", "tensorflow.", name)


def missing_api(exc, line=""):
    """The TensorFlow name an exception says this release lacks, or '' for any other exception.

    AttributeError on a TensorFlow module ("module 'tensorflow.math' has no attribute 'xlogy'"),
    ImportError of a TensorFlow module (line: the case's source line that raised, whose
    "from M import" names the module where Python 3.6's "cannot import name 'x'" does not), or an op
    the binary has not registered.
    """
    text = str(exc)
    found = re.search(r"Op type not registered '([^']+)'", text)
    if found:
        return "op " + found.group(1)
    if isinstance(exc, AttributeError):
        found = re.search(r"`([\w.]+)` is not available with Keras 3", text)
        if found:  # TF >= 2.16's TF1 layers and RNN cells without tf-keras
            return "{} of Keras 2".format(found.group(1))
        found = re.match(r"module '([\w.]+)' has no attribute '(\w+)'", text)
        if found and _TF_MODULES.match(found.group(1)):
            return _public(found.group(1) + "." + found.group(2))
        return ""
    if isinstance(exc, ImportError):
        module = getattr(exc, "name", None) or ""
        found = re.match(r"No module named '([\w.]+)'", text)
        if found:
            module = found.group(1)
        name = re.match(r"cannot import name '(\w+)'", text)
        written = re.search(r"from ([\w.]+) import", line)
        if not module and written:
            module = written.group(1)
        if _TF_MODULES.match(module):
            return _public(module + ("." + name.group(1) if name else ""))
    return ""


def is_runtime_error(exc):
    """An error a TensorFlow kernel raised while running (tf.errors.OpError), as opposed to one of
    building or feeding a graph."""
    import tensorflow as tf
    return isinstance(exc, tf.errors.OpError)


def short_error(exc):
    """'Type: the message's first informative line' (TF 2.x session errors open with 'Graph
    execution error:' and the node's stack; the op's own message comes later)."""
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    useful = []
    for ln in lines:
        if ln.startswith(("Original stack trace", "Stack trace for op")):
            break
        if ln != "Graph execution error:" and not ln.startswith(("Detected at node", "File ",
                                                                   "Node: ", "[[")):
            useful.append(ln)
    node = [ln for ln in lines if ln.startswith("Node: ")]
    text = " ".join(useful[:1] + [ln.replace("Node: ", "(at ", 1) + ")" for ln in node[:1]]) \
        if useful else (lines or [""])[0]
    return "{}: {}".format(type(exc).__name__, text[:300])


_HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../harness


def _harness_frames(exc):
    """The traceback's frames in the harness's own files (harness/*), innermost last."""
    return [f for f in traceback.extract_tb(exc.__traceback__)
            if os.path.abspath(f.filename).startswith(_HARNESS_DIR + os.sep)]


def raised_by_harness(exc):
    """True when the harness's own code raised the exception (its innermost frame is a harness
    file), as opposed to TensorFlow or the case, which the harness calls."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = _harness_frames(exc)
    return bool(frames) and bool(own) and frames[-1] == own[-1]


def harness_detail(what, exc):
    """A harness failure's detail: what it was doing, the whole exception (every line of its
    message) and the harness's frames, innermost last ('evaluators.py:120 in gradients')."""
    frames = ", ".join("{}:{} in {}".format(os.path.relpath(f.filename, os.path.dirname(
        _HARNESS_DIR)), f.lineno, f.name) for f in _harness_frames(exc)[-4:])
    text = "harness error {}: {}: {} (harness frames: {})".format(
        what, type(exc).__name__, str(exc).strip(), frames or "none")
    return text if len(text) <= 4000 else text[:4000] + "..."


def case_failure(what, exc, path):
    """The cell's result for an exception in the case's own code: `unavailable` when it says this
    release lacks a TensorFlow API, else `error`."""
    text = error_text(exc, path)
    line = ""
    own = [f for f in traceback.extract_tb(exc.__traceback__)
           if os.path.abspath(f.filename) == os.path.abspath(path)]
    if own:
        line = own[-1].line or ""
    missing = missing_api(exc, line)
    if missing:
        return {"status": UNAVAILABLE, "pairs": [],
                "detail": "{} not in this release: {} {}".format(missing, what, text)}
    return {"status": ERROR, "pairs": [], "detail": "{} {}".format(what, text)}


def error_text(exc, path=None):
    """'Type: first line of message (file:line)' naming the case's own line when it has one."""
    msg = str(exc).strip().splitlines()
    text = "{}: {}".format(type(exc).__name__, msg[0] if msg else "")
    if len(text) > 800:
        text = text[:800] + "..."
    frames = traceback.extract_tb(exc.__traceback__)
    if path:
        own = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(path)]
        if own:
            text += " ({}:{})".format(os.path.basename(path), own[-1].lineno)
    return text
