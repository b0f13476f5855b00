"""The finite-difference check of a cell's `grad` pairs, and the per-element details of a verdict.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only (numpy imported lazily), no
imports from harness.host. harness.inside.numeric calls check() once a cell's values are known;
the maths (verdicts, directions, losses) is harness.inside.fdmath.
"""
from harness.inside import fdmath
from harness.inside.fdmath import describe, directions, loss, rng, verdict
from harness.inside.tferrors import short_error
from harness.schema import GRAD, NONFINITE

DEFAULT_EPS = 1e-3
DEFAULT_TOL = 0.05


def _np():
    import numpy
    return numpy


def explain(pair, evaluator, plain, ones, options):
    """The detail of a verdict already reached (pair's status and numeric facts set): per-element
    numbers where the source is small, then the sentence. Nothing that fails here undoes the
    verdict: the detail then says what could not be described."""
    facts = pair["numeric"]
    try:
        facts["components"] = _components(evaluator, pair, plain, ones, options)
        pair["detail"] = describe(pair["status"], facts, options.get("tol", DEFAULT_TOL))
    except Exception as exc:
        pair["detail"] = "{} (its details could not be described: {})".format(
            pair["status"], short_error(exc))


def _components(evaluator, pair, plain, ones, options):
    """TensorFlow's gradient and per-element central differences of sum(target) (ones: a
    projection of ones per target), for a source of up to fdmath.COMPONENTS elements (else None):
    the numbers an upstream report needs."""
    np = _np()
    source = pair["source"]
    if evaluator.unperturbable(source):
        return None
    s0 = np.asarray(evaluator.get(source))
    if s0.size > fdmath.COMPONENTS or s0.size == 0:
        return None
    eps = options.get("eps", DEFAULT_EPS)
    flat, out = s0.reshape(-1), []
    try:
        for i in range(flat.size):
            h = eps * max(abs(float(flat[i])), 1.0) if np.isfinite(flat[i]) else eps
            sums = []
            for sign in (1.0, -1.0):
                moved = flat.copy()
                moved[i] = moved[i] + sign * h
                evaluator.set(source, moved.reshape(s0.shape).astype(s0.dtype))
                sums.append(loss(ones[pair["target"]], evaluator.targets()[pair["target"]]))
            out.append((sums[0] - sums[1]) / (2 * h))
    except Exception:  # a step outside the op's domain: the detail keeps the check's numbers
        return None
    finally:
        evaluator.reset(source)
    grad = np.asarray(plain[(pair["target"], source)]).reshape(-1)
    return {"tensorflow": [fdmath.number(x) for x in grad],
            "finite_differences": [fdmath.number(x) for x in out]}


def check(pairs, evaluator, base, plain, options):
    """Add a finite-difference verdict to every `grad` pair of one cell (status, detail, numeric).

    base: the targets' values at the evaluated inputs; plain: tf.gradients' own gradients of these
    pairs, for details in gradient terms.
    """
    eps, tol = options.get("eps", DEFAULT_EPS), options.get("tol", DEFAULT_TOL)
    todo = [p for p in pairs if p["status"] == GRAD]
    if not todo:
        return
    ones = dict((t, [_np().ones(_np().shape(v)) for v in vals]) for t, vals in base.items())
    try:
        projections = dict((t, [rng("r/" + t).standard_normal(_np().shape(v)) for v in vals])
                           for t, vals in base.items())
        grads = evaluator.gradients(projections, [(p["target"], p["source"]) for p in todo])
    except Exception as exc:  # a graph that cannot be evaluated keeps its symbolic statuses
        for pair in todo:
            pair["numeric"] = {"checked": False, "why": "evaluation failed: " + short_error(exc)}
        return
    losses = dict((t, loss(projections[t], vals)) for t, vals in base.items())
    by_source = {}
    for pair in todo:
        by_source.setdefault(pair["source"], []).append(pair)
    for source, group in by_source.items():
        why = evaluator.unperturbable(source)
        try:
            verdicts = {} if why else _check_source(evaluator, source, group, grads, projections,
                                                    losses, eps, tol)
        except Exception as exc:
            why = "evaluation failed: " + short_error(exc)
        for pair in group:
            if why:
                pair["numeric"] = {"checked": False, "why": why}
                continue
            status, facts = verdicts[pair["target"]]
            facts.update({"checked": True, "eps": eps, "tol": tol})
            pair["numeric"] = facts
            if status != GRAD:
                pair["status"] = status
                if status == NONFINITE:  # tf.gradients' own was finite, the projected one not
                    facts["counts"] = fdmath.fingerprint(grads[(pair["target"], source)])
                explain(pair, evaluator, plain, ones, options)


def _differences(evaluator, source, s0, step, projections, targets, base):
    """{target: (central difference of L at this step, smallest difference float resolution shows,
    (forward, backward) one-sided differences from base, L at s0)}."""
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
        evaluator.reset(source)
    h = float(np.sqrt(np.sum(np.square(step)))) or 1.0
    out = {}
    for t in targets:
        up, down = losses[(t, 1.0)], losses[(t, -1.0)]
        # Changes of L below ~100 ulps of L itself are round-off (float32: 1e-5 of L).
        floor = fdmath.RESOLUTION * ulp * max(abs(up), abs(down)) / h
        out[t] = ((up - down) / (2 * h), floor, ((up - base[t]) / h, (base[t] - down) / h))
    return out


def _check_source(evaluator, source, group, grads, projections, base, eps, tol):
    """{target: (status, facts)} for one source: +-h runs along each direction, +-h/2 only to
    confirm a finding. A source of up to fdmath.COMPONENTS elements is checked element by element
    (a gradient that misses one element shows); a larger one along its gradients' directions."""
    np = _np()
    s0 = evaluator.get(source)
    h = eps * (float(np.sqrt(np.sum(np.square(s0.astype("float64"))))) or np.sqrt(s0.size or 1.0))
    gradients = dict((p["target"], grads[(p["target"], source)].astype("float64")) for p in group)
    if 0 < s0.size <= fdmath.COMPONENTS:
        probes = [(np.eye(s0.size)[i].reshape(s0.shape), list(gradients)) for i in range(s0.size)]
    else:
        probes = directions(source, gradients)
    measured = dict((t, []) for t in gradients)
    for d, targets in probes:
        first = _differences(evaluator, source, s0, h * d, projections, targets, base)
        for t in targets:
            measured[t].append((float((gradients[t] * d).sum()), first[t], d))
    out = {}
    for t, probes_t in measured.items():
        all_zero = not np.any(gradients[t])
        scale = max(max(abs(a), abs(m[0])) for a, m, _ in probes_t) if len(probes_t) > 1 else None
        verdicts = []
        for analytic, (fd, floor, sides), d in probes_t:
            status, facts = verdict(analytic, fd, fd, all_zero, tol, floor, sides, scale)
            if status != GRAD:
                half = _differences(evaluator, source, s0, 0.5 * h * d, projections, [t], base)
                status, facts = verdict(analytic, fd, half[t][0], all_zero, tol, floor, sides,
                                        scale)
            verdicts.append((status, facts))
        out[t] = fdmath.worst(verdicts)
        if len(probes_t) > 1:
            out[t][1]["elements"] = len(probes_t)
    return out
