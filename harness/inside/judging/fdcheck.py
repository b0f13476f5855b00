"""The finite-difference check of a cell's `grad` pairs, and the per-element details of a verdict.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only (numpy imported lazily), no
imports from harness.host. harness.inside.judging.numeric calls check() once a cell's values are known;
the maths (verdicts, directions, losses) is harness.inside.judging.fdmath.
"""
from harness.inside import tferrors
from harness.inside.judging import fdmath
from harness.inside.judging.fdmath import describe, directions, loss, rng, verdict
from harness.inside.tferrors import short_error
from harness.schema import GRAD, MISMATCH, NONFINITE, ZERO

DEFAULT_EPS = 1e-3
DEFAULT_TOL = 1e-4
FULL_PROBES = 2  # probes measured at two steps; the others at one, confirmed at two on a finding
BLOCK_ELEMENTS = 8  # a larger source is probed block by block, about this many elements a block,
MAX_BLOCKS = 16  # ... in at most this many blocks


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
        if tferrors.raised_by_harness(exc):
            raise  # the harness's own bug: the worker makes it harness_error, never doubt
        for pair in todo:
            pair["numeric"] = {"checked": False, "why": "evaluation failed: " + short_error(exc)}
        return
    losses = dict((t, loss(projections[t], vals)) for t, vals in base.items())
    by_source = {}
    for pair in todo:
        by_source.setdefault(pair["source"], []).append(pair)
    for source, group in by_source.items():
        why, verdicts = evaluator.unperturbable(source), {}
        if not why:
            try:
                try:
                    verdicts = _check_source(evaluator, source, group, grads, projections, losses,
                                             eps, tol)
                finally:
                    evaluator.reset(source)  # the probes leave it moved
            except Exception as exc:
                if tferrors.raised_by_harness(exc):
                    raise
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
    (forward, backward) one-sided differences from base)}."""
    np = _np()
    losses, size = {}, {}
    for sign in (1.0, -1.0):  # the source is left moved: the caller resets it once, at its end
        evaluator.set(source, (s0 + sign * step).astype(s0.dtype))
        values = evaluator.targets()
        for t in targets:
            losses[(t, sign)] = loss(projections[t], values[t])
            # what float resolution allows: an ulp of each term of L, as independent errors
            size[t] = max([size.get(t, 0.0)] + [
                float(np.finfo(v.dtype).eps) * float(np.sqrt(np.sum(np.square(r * v))))
                for r, v in zip(projections[t], values[t]) if np.issubdtype(v.dtype, np.floating)])
    h = float(np.sqrt(np.sum(np.square(step)))) or 1.0
    out = {}
    for t in targets:
        up, down = losses[(t, 1.0)], losses[(t, -1.0)]
        floor = fdmath.RESOLUTION * size[t] / h
        out[t] = ((up - down) / (2 * h), floor, ((up - base[t]) / h, (base[t] - down) / h))
    return out


def _probes(source, s0, gradients):
    """[(unit direction, targets)] of one source: every element of a small source (up to
    fdmath.COMPONENTS); else its gradients' own directions (a wrong scale or sign shows there),
    then one random +-1 direction per block of a fixed random partition of its elements into
    _blocks(n) blocks (a wrong, zeroed or swapped element shows in its block's direction, the more
    the smaller the block)."""
    np = _np()
    if 0 < s0.size <= fdmath.COMPONENTS:
        return [(np.eye(s0.size)[i].reshape(s0.shape), list(gradients)) for i in range(s0.size)]
    probes = directions(source, gradients)
    r = rng("probe/" + source)
    order = r.permutation(s0.size)
    signs = r.randint(0, 2, size=s0.size) * 2.0 - 1.0
    for block in np.array_split(order, _blocks(s0.size)):
        d = np.zeros(s0.size)
        d[block] = signs[block]
        probes.append((fdmath.unit(d.reshape(s0.shape)), list(gradients)))
    return probes


def _blocks(n):
    """Blocks of a source of n elements: about BLOCK_ELEMENTS each, at most MAX_BLOCKS."""
    return max(2, min(MAX_BLOCKS, -(-n // BLOCK_ELEMENTS)))


def _check_source(evaluator, source, group, grads, projections, base, eps, tol):
    """{target: (status, facts)} for one source along each probe (_probes): central differences at
    +-h and +-h/2 for the first FULL_PROBES probes (Richardson's estimate, and the spread that
    measures the arithmetic's error), at +-h only for the others, judged against the typical
    spread and confirmed at h/2 where they disagree; then the probes of each target pooled
    (fdmath.pooled)."""
    np = _np()
    s0 = evaluator.get(source)
    h = eps * (float(np.sqrt(np.sum(np.square(s0.astype("float64"))))) or np.sqrt(s0.size or 1.0))
    gradients = dict((p["target"], grads[(p["target"], source)].astype("float64")) for p in group)
    all_zero = dict((t, not np.any(g)) for t, g in gradients.items())
    probes = _probes(source, s0, gradients)
    per_element = 0 < s0.size <= fdmath.COMPONENTS
    measured = dict((t, []) for t in gradients)  # (analytic, (fd, floor, sides), fd_half or None, d)
    for i, (d, targets) in enumerate(probes):
        full = _differences(evaluator, source, s0, h * d, projections, targets, base)
        half = _differences(evaluator, source, s0, 0.5 * h * d, projections, targets, base) \
            if i < FULL_PROBES else {}
        for t in targets:
            measured[t].append((float((gradients[t] * d).sum()), full[t],
                                half[t][0] if t in half else None, d))
    out = {}
    for t, probes_t in measured.items():
        largest = max(max(abs(a), abs(m[0])) for a, m, _, _ in probes_t)
        spreads = sorted(abs(m[0] - c2) for _, m, c2, _ in probes_t if c2 is not None)
        typical = spreads[len(spreads) // 2] if spreads else 0.0
        verdicts = []
        for analytic, (fd, floor, sides), c2, d in probes_t:
            floor = max(floor, typical)
            # errors are measured against the largest derivative the probe's elements can give
            # (the gradient's norm over them), or for a small source its largest element's
            scale = largest if per_element else max(abs(analytic), abs(fd), float(
                np.sqrt(np.sum(np.square(gradients[t][d != 0])))))
            status, facts = verdict(analytic, fd, fd if c2 is None else c2, all_zero[t], tol, floor,
                                    sides, scale)
            if c2 is None and (status != GRAD or facts.get("z", 0) > fdmath.POOLED_Z):
                # a finding (or a large part of one) at one step: confirmed with the second
                c2 = _differences(evaluator, source, s0, 0.5 * h * d, projections, [t], base)[t][0]
                status, facts = verdict(analytic, fd, c2, all_zero[t], tol, floor, sides, scale)
            if status in (MISMATCH, ZERO):
                # A finding must hold at steps 2h and h/4 too: the differences of a function with
                # many small kinks (relu units crossed by the step) wander from step to step by
                # more than two steps show; their largest move is then the error.
                wider = [_differences(evaluator, source, s0, f * h * d, projections, [t], base)[t][0]
                         for f in (2.0, 0.25)]
                steps = [wider[0], fd, c2, wider[1]]
                wander = max(abs(a - b) for a, b in zip(steps, steps[1:]))
                status, facts = verdict(analytic, fd, c2, all_zero[t], tol, max(floor, wander),
                                        sides, scale)
                facts["steps"] = [fdmath.number(c) for c in steps]
            verdicts.append((status, facts))
        verdicts = fdmath.pooled(verdicts, tol)
        doubtful = [v for v in verdicts if v[0] == GRAD and v[1].get("inconclusive")]
        if not per_element and doubtful and not verdicts[0][1].get("inconclusive") \
                and 2 * len(doubtful) <= len(verdicts):
            # A few blocks at a kink or in the noise: the others and the gradient's own direction
            # still tell; the verdict says how many could not.
            kept = [v for v in verdicts if v not in doubtful]
            out[t] = fdmath.worst(kept)
            out[t][1]["unchecked_probes"] = len(doubtful)
        else:
            out[t] = fdmath.worst(verdicts)
        out[t][1]["probes"] = len(probes_t)
        if not per_element:  # the blocks are the last probes of every target (_probes)
            blocks = _blocks(s0.size)
            _element_doubt(out[t], list(zip([m[3] for m in probes_t[-blocks:]], verdicts[-blocks:])),
                           gradients[t], s0.size)
    return out


def _element_doubt(verdict, blocks, gradient, size):
    """A conclusive `grad` of a source probed block by block, of up to fdmath.ELEMENT_SCOPE
    elements, says every element is right to within fdmath.ELEMENT_SEEN of the gradient's scale.
    Where a block got no verdict (a kink or tie, noise), its elements are unseen; where the blocks'
    finite differences could not have seen that error (relu kinks crossed by the step make them
    wander), likewise: no verdict. blocks: [(direction, (status, facts))]. facts["element_resolution"]
    is recorded for any size."""
    np = _np()
    status, facts = verdict
    scale = float(np.abs(gradient).max()) if gradient.size else 0.0
    if not scale > 0:  # all zero: its verdict asks whether L moves at all, not by how much
        return
    seen = fdmath.element_resolution(blocks, scale)
    if seen is not None:
        facts["element_resolution"] = seen
    if status != GRAD or facts.get("inconclusive") or size > fdmath.ELEMENT_SCOPE:
        return
    unseen = sum(1 for _, (st, f) in blocks if st == GRAD and f.get("inconclusive"))
    noisy = seen is not None and seen > fdmath.ELEMENT_SEEN
    blind = "{} of its {} blocks of elements got no verdict (a kink or tie, or noise)".format(
        unseen, len(blocks))
    coarse = "one element could be off by up to {:.2g}% of the gradient's largest element and " \
             "not show".format(100 * seen) if noisy else ""
    if unseen and noisy:
        why = blind + ", and in the others " + coarse
    elif unseen:
        why = blind + ": one element there could be off and not show"
    elif noisy:
        why = coarse + ": its blocks' finite differences are that noisy (kinks crossed by the " \
                       "step, or round-off)"
    else:
        return
    facts.update({"inconclusive": True, "why": why})
