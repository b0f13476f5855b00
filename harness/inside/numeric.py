"""Numeric check of present gradients: a directional derivative against central finite differences.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only (numpy imported lazily: every
TensorFlow depends on it), no imports from harness.host, no f-string '=', no dataclasses.

For a target y and a source s: L = sum(r * y) with a fixed random projection r; d is the unit
direction of TensorFlow's own gradient g = dL/ds (shared by the targets whose gradients point alike;
a fixed random one when g is all zero), so <g, d> ~ |g| has no cancellation that float32 could not
resolve (a random d over the 9000 weights of the seed's conv kernel has). h = eps * |s|. <g, d> is
compared with (L(s + h d) - L(s - h d)) / 2h. A disagreement is confirmed with h/2: within
NOISE_FACTOR times the change between the two (relu kinks, float32 round-off), or below RESOLUTION
ulps of L, it gets no verdict. Along g, a gradient of the wrong scale, sign or with spurious parts
shows; one that only misses some parts does not.

The maths (verdicts, directions) is in harness.inside.fdmath; the evaluators that run graphs and
eager functions are in harness.inside.evaluators.
"""
from harness.inside import fdmath, tfapi
from harness.inside.fdmath import describe, directions, loss, rng, verdict
from harness.schema import GRAD

DEFAULT_EPS = 1e-3
DEFAULT_TOL = 0.05
NONE_SIZE = 2  # the size given to None dimensions of generated feeds


def _np():
    import numpy
    return numpy


def generated_value(name, shape, dtype):
    """A deterministic value for a placeholder: normal floats, True, small positive integers."""
    np = _np()
    shape = [NONE_SIZE if d is None else d for d in (shape if shape is not None else [NONE_SIZE])]
    dtype = getattr(dtype, "base_dtype", dtype)
    if dtype.is_bool:
        return np.ones(shape, dtype=bool)
    if dtype.is_integer:
        return rng(name).randint(1, 4, size=shape).astype(dtype.as_numpy_dtype)
    if tfapi.is_float(dtype):
        return rng(name).standard_normal(shape).astype(dtype.as_numpy_dtype)
    return None


def feeds(graph, given):
    """Every placeholder of the graph -> value: the case's own feeds first, generated for the rest."""
    out = dict(given or {})
    for ph in tfapi.placeholders(graph):
        if ph not in out:
            value = generated_value(ph.op.name, tfapi.static_shape(ph), ph.dtype)
            if value is not None:
                out[ph] = value
    return out


def check(pairs, evaluator, eps=DEFAULT_EPS, tol=DEFAULT_TOL):
    """Add a numeric verdict to every `grad` pair of one cell (status, detail and 'numeric')."""
    todo = [p for p in pairs if p["status"] == GRAD]
    if not todo:
        return
    try:
        base = evaluator.targets()
        projections = dict((t, [rng("r/" + t).standard_normal(v.shape) for v in vals])
                           for t, vals in base.items())
        grads = evaluator.gradients(projections, [(p["target"], p["source"]) for p in todo])
    except Exception as exc:  # a graph that cannot be evaluated keeps its symbolic statuses
        for pair in todo:
            pair["numeric"] = {"checked": False, "why": "evaluation failed: " + _short(exc)}
        return
    by_source = {}
    for pair in todo:
        by_source.setdefault(pair["source"], []).append(pair)
    for source, group in by_source.items():
        why = evaluator.unperturbable(source)
        try:
            verdicts = {} if why else _check_source(evaluator, source, group, grads, projections,
                                                    eps, tol)
        except Exception as exc:
            why = "evaluation failed: " + _short(exc)
        for pair in group:
            if why:
                pair["numeric"] = {"checked": False, "why": why}
                continue
            status, facts = verdicts[pair["target"]]
            facts.update({"checked": True, "eps": eps, "tol": tol})
            pair["numeric"] = facts
            if status != GRAD:
                pair["status"], pair["detail"] = status, describe(status, facts, tol)


def _differences(evaluator, source, s0, step, projections, targets):
    """{target: (central difference of L at this step, smallest difference float resolution shows)}."""
    np = _np()
    losses, ulp = {}, 0.0
    try:
        for sign in (1.0, -1.0):
            evaluator.set(source, (s0 + sign * step).astype(s0.dtype))
            values = evaluator.targets()
            for t in targets:
                losses[(t, sign)] = loss(projections[t], values[t])
                ulp = max([ulp] + [float(np.finfo(v.dtype).eps) for v in values[t]])
    finally:
        evaluator.set(source, s0)
    h = float(np.sqrt(np.sum(np.square(step)))) or 1.0
    # Changes of L below ~100 ulps of L itself are round-off (float32: 1e-5 of L).
    return dict((t, ((losses[(t, 1.0)] - losses[(t, -1.0)]) / (2 * h),
                     fdmath.RESOLUTION * ulp
                     * max(abs(losses[(t, 1.0)]), abs(losses[(t, -1.0)])) / h))
                for t in targets)


def _check_source(evaluator, source, group, grads, projections, eps, tol):
    """{target: (status, facts)} for one source: +-h runs, and +-h/2 only to confirm a finding."""
    np = _np()
    s0 = evaluator.get(source)
    h = eps * (float(np.sqrt(np.sum(np.square(s0.astype("float64"))))) or np.sqrt(s0.size or 1.0))
    gradients = dict((p["target"], grads[(p["target"], source)].astype("float64")) for p in group)
    out = {}
    for d, targets in directions(source, gradients):
        first = _differences(evaluator, source, s0, h * d, projections, targets)
        analytic = dict((t, float((gradients[t] * d).sum())) for t in targets)
        found = []
        for t in targets:
            fd, floor = first[t]
            out[t] = verdict(analytic[t], fd, fd, not np.any(gradients[t]), tol, floor)
            if out[t][0] != GRAD:
                found.append(t)
        if found:
            half = _differences(evaluator, source, s0, 0.5 * h * d, projections, found)
            for t in found:
                fd, floor = first[t]
                out[t] = verdict(analytic[t], fd, half[t][0], not np.any(gradients[t]), tol, floor)
    return out


def _short(exc):
    lines = str(exc).strip().splitlines()
    return "{}: {}".format(type(exc).__name__, lines[0][:300] if lines else "")
