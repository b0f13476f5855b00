"""The forward pass an eager cell's finite differences run: compute() traced once into a graph
function where that gives compute()'s own values, else compute() itself.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only, no imports from harness.host.
A finite difference needs two forward passes and the check makes hundreds: in eager mode a Keras
RNN runs every op from Python (measured on the Keras case, 2.0 - 2.21: 8 - 46 times slower than the
traced function). TensorFlow's gradient, the thing judged, is still taken eagerly under a tape; the
traced function is only the oracle's function, and is used only where it computes the very values
compute() does at the starting point (within TRACE_ULPS).
"""
import math

from harness.inside import tfapi
from harness.inside.judging import fdmath
from harness.inside.tferrors import short_error

TRACE_ULPS = 16  # ... of each target's largest magnitude: graph-mode rewrites may round differently


def values(out):
    """{target: [numpy arrays]} of compute()'s output."""
    return dict((t, [y.numpy() for y in tfapi.flatten(v)]) for t, v in out.items())


def choose(tf, compute):
    """(forward function, how it was chosen, its values now): the traced compute() where it runs
    and agrees with compute() here, else compute(); a failure of tracing is never the cell's."""
    eager = values(compute())
    traced = tfapi.traced(tf, compute)
    if traced is None:
        return compute, "eager: this release has no tf.function", eager
    try:  # twice: a function that makes variables anew each time (a script run again) traces
        # once and raises on its second call. Whatever raises here is TensorFlow's or the case's:
        # compute() itself just ran (TensorFlow's filtered tracebacks may end in this very line)
        outputs = [traced(), traced()]
    except Exception as exc:
        return compute, "eager: tracing compute() raised " + short_error(exc), eager
    got = values(outputs[0])
    off = max(ulps_apart(eager, got), ulps_apart(eager, values(outputs[1])))
    if off > TRACE_ULPS:
        return compute, "eager: the traced compute() is {} ulps off compute()'s values".format(
            "{:.3g}".format(off) if math.isfinite(off) else "infinitely many"), eager
    return traced, "traced", got


def ulps_apart(a, b):
    """The largest difference between two evaluations' values ({target: [arrays]}), in ulps of each
    array's largest finite magnitude; NaN equal to NaN; inf where they differ in anything else."""
    import numpy as np
    if set(a) != set(b) or any(len(a[t]) != len(b[t]) for t in a):
        return math.inf
    largest = 0.0
    for t in a:
        for x, y in zip(a[t], b[t]):
            x, y = np.asarray(x), np.asarray(y)
            if x.shape != y.shape or x.dtype != y.dtype:
                return math.inf
            if not np.issubdtype(x.dtype, np.floating):
                if not np.array_equal(x, y):
                    return math.inf
                continue
            ok = np.isfinite(x)
            if not np.array_equal(ok, np.isfinite(y)) or not fdmath.same(x[~ok], y[~ok]):
                return math.inf
            if ok.any():
                info = np.finfo(x.dtype)
                ulp = float(info.eps) * max(float(np.abs(x[ok]).max()), float(info.tiny))
                apart = np.abs(x[ok].astype("float64") - y[ok].astype("float64")).max()
                largest = max(largest, float(apart) / ulp)
    return largest
