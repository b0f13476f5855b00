"""The point a cell is evaluated at: the case's own variable values where it chose them.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only, no imports from harness.host.

A trainable variable keeps its own initial value when that value is the same on every release: a
graph variable whose initial value has no random (or stateful) op among its ancestors, an eager
variable whose value is the same when build() runs under two global seeds. Only variables with
random initial values are loaded with values seeded by their names (fdmath.variable_value). A case
may also name values outright, `"values": {source name: array}`, applied on every release. Each
source's point is recorded: CASE (its own or named value) or SEEDED (the harness's).
"""
import re

from harness.inside import tfapi
from harness.inside.judging import fdmath

CASE = "case"
SEEDED = "seeded"
# Op types whose output is not a function of the graph's constants: random draws (stateful or
# seeded stateless ones, whose seeds Keras draws at random), reads of state, fed values.
_DRAWN = re.compile(r"Random|Stateless|TruncatedNormal|Multinomial|Shuffle|Categorical|Poisson"
                    r"|Gamma$|Placeholder")


class PointError(ValueError):
    """A case's `values` that do not fit it; the message names the source."""


def drawn_by(var):
    """What makes a graph variable's initial value differ between runs or releases ('drawn by
    RandomUniform'), or '' when the value follows from constants alone (the case chose
    it). An initial value that cannot be read counts as drawn: the harness then seeds it."""
    initial = getattr(var, "initial_value", None)
    op = getattr(initial, "op", None)
    if op is None:
        return "initial value unknown"
    seen, stack = set(), [op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if _DRAWN.search(op.type) or _stateful(op):
            return "drawn by " + op.type
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return ""


def _stateful(op):
    try:
        return tfapi.is_stateful(op)
    except Exception:  # an op without a registered def: cannot tell, so not the case's choice
        return True


def given_values(given, sources, is_variable, shape_of):
    """{source name: numpy array} of a case's `values`, checked: every name a variable source of
    the case, every value of that variable's shape. Raises PointError naming the source."""
    import numpy as np
    out = {}
    for name, value in (given or {}).items():
        if name not in sources:
            raise PointError("values: {!r} is not a source of the case (its sources: {})".format(
                name, ", ".join(sorted(sources))))
        source = sources[name]
        if not is_variable(source):
            raise PointError("values: source {!r} is a tensor, not a variable: give a placeholder's "
                             "value in feeds".format(name))
        want = shape_of(source)
        array = np.asarray(value, dtype=source.dtype.base_dtype.as_numpy_dtype)
        if want is None or list(array.shape) != list(want):
            raise PointError("values: source {!r} has shape {}, the value has shape {}".format(
                name, want, list(array.shape)))
        out[name] = array
    return out


def same_under_seeds(first, second):
    """{key: True where the two builds' values are equal} for each key of `first` (NaN equals
    NaN; a key the second build lacks is not the same)."""
    import numpy as np
    return dict((key, key in second and np.shape(a) == np.shape(second[key])
                 and fdmath.same(a, second[key])) for key, a in first.items())


def eager_chosen(tf, build, variant, sources, named):
    """The trainable variable sources of an eager cell whose values the case chose: the same
    when build() (and a first compute(), where Keras layers make their weights) runs again under
    another global seed. Sources the case did not name are matched in the order the tape watched
    them. A second build that fails chooses nothing: every value is then seeded."""
    first = dict((n, v.numpy()) for n, v in sources.items()
                 if tfapi.is_variable(v) and getattr(v, "trainable", False))
    if not first:
        return set()
    tfapi.set_seed(tf, fdmath.SEED + 1)
    try:
        again = build(tf, **variant)
        other = again.get("sources") or {}
        with tf.GradientTape() as tape:
            again["compute"]()
        if not named:
            watched = [v for v in tape.watched_variables() if v.trainable]
            other = dict(zip(sources, watched)) if len(watched) == len(sources) else {}
        other = dict((n, tfapi.tf_variable(v)) for n, v in other.items())  # Keras 3's too
        second = dict((n, v.numpy()) for n, v in other.items() if tfapi.is_variable(v))
    except (Exception, SystemExit):
        return set()
    finally:
        tfapi.set_seed(tf, fdmath.SEED)
    return set(n for n, same in same_under_seeds(first, second).items() if same)
