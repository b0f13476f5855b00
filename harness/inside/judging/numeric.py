"""Evaluation of present gradients: fingerprints, NaN/Inf, and a check against finite differences.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only (numpy imported lazily: every
TensorFlow depends on it), no imports from harness.host, no f-string '=', no dataclasses.

A cell is evaluated at inputs that are the same on every release: trainable variables loaded with
values seeded by their names and shapes (evaluators), placeholders fed the case's `feeds` or values
seeded by their names (generated_value). evaluate() records each present gradient's fingerprint and
each target's, marks NaN/Inf gradients `nonfinite`, and runs the finite-difference check.

For a target y and a source s: L = sum(r * y) with a fixed random projection r, and TensorFlow's
gradient of L is compared with central finite differences of L along probes of s (every element
of a small source; else the gradient's own direction and one random +-1 direction per block of
elements), each at steps h and h/2 with its error measured (fdcheck). A disagreement beyond that
error is a mismatch; an agreement is a verdict only where the check could have seen an error of 5%
of the probe's scale, and, for a source of up to 1024 elements, of 10% of the gradient's scale in
any one element; elsewhere the pair stays `grad` with no numeric verdict and the reason.

The finite-difference check itself is harness.inside.judging.fdcheck, its maths (verdicts, directions)
harness.inside.judging.fdmath; the evaluators that run graphs and eager functions are in
harness.inside.judging.evaluators.
"""
from harness.inside import tferrors, tfapi
from harness.inside.judging import fdcheck, fdmath
from harness.inside.judging.fdmath import rng
from harness.inside.tferrors import short_error
from harness.schema import ERROR, GRAD, HARNESS_ERROR, NONFINITE

DEFAULT_EPS, DEFAULT_TOL = fdcheck.DEFAULT_EPS, fdcheck.DEFAULT_TOL
NONE_SIZE = 2  # the size given to None dimensions of generated feeds (--none-dim)
# The numeric `why` of every present gradient of a cell whose forward pass fails at the inputs: the
# report looks for it (a case none of whose gradients could be checked is said on its first screen).
FORWARD_FAILS = "not evaluated: the forward pass fails at the evaluated inputs: "


def _np():
    import numpy
    return numpy


def generated_value(name, shape, dtype, none_size=NONE_SIZE):
    """A deterministic value for a placeholder: normal floats, True, small positive integers;
    `none_size` for each None dimension (and for the one dimension of an unknown shape)."""
    np = _np()
    shape = [none_size if d is None else d for d in (shape if shape is not None else [None])]
    dtype = getattr(dtype, "base_dtype", dtype)
    if dtype.is_bool:
        return np.ones(shape, dtype=bool)
    if dtype.is_integer:
        return rng(name).randint(1, 4, size=shape).astype(dtype.as_numpy_dtype)
    if tfapi.is_float(dtype):
        return rng(name).standard_normal(shape).astype(dtype.as_numpy_dtype)
    return None


class FeedError(ValueError):
    """A case's `feeds` that do not fit its graph; the message names the placeholder."""


def feeds(graph, given, none_size=NONE_SIZE):
    """Every placeholder of the graph -> value: the case's own feeds first, generated for the rest
    (`none_size` for their None dimensions: the run's --none-dim).

    A given key that is not a tensor of the graph, or a value whose shape the placeholder cannot
    take, raises FeedError. Non-finite values are allowed: some bugs need them.
    """
    np = _np()
    out = dict(given or {})
    for key, value in out.items():
        if getattr(key, "graph", None) is not graph:
            raise FeedError("feeds: {!r} is not a tensor of the case's graph".format(key))
        shape = tfapi.static_shape(key)
        got = list(np.shape(value))
        if shape is not None and (len(got) != len(shape) or any(
                want is not None and want != have for want, have in zip(shape, got))):
            raise FeedError("feeds: placeholder {!r} takes shape {}, the value has shape {}".format(
                key.op.name, shape, got))
    for ph in tfapi.placeholders(graph):
        if ph not in out:
            value = generated_value(ph.op.name, tfapi.static_shape(ph), ph.dtype, none_size)
            if value is not None:
                out[ph] = value
    return out


def evaluate(pairs, evaluator, options):
    """Evaluate a cell at the inputs every release shares; returns the cell's `values` record.

    Two runs of targets and gradients (tf.gradients' own, grad_ys = ones) tell whether the cell is
    deterministic; every present gradient gets its fingerprint (`value`), and is `nonfinite` when
    it holds NaN or Inf; then, unless options['numeric'] is off, the finite-difference check of the
    remaining `grad` pairs (not for non-deterministic cells: their differences are noise).
    """
    np = _np()
    present = [p for p in pairs if p["status"] == GRAD]
    try:
        first = evaluator.targets()
        second = evaluator.targets()
    except Exception as exc:  # the inputs do not run: nothing about the gradients follows
        why = FORWARD_FAILS + short_error(exc)
        for pair in present:
            pair["numeric"] = {"checked": False, "why": why}
        return {"why": why}
    ones = dict((t, [np.ones(np.shape(v)) for v in vals]) for t, vals in first.items())
    plain, present = _own_gradients(evaluator, present, ones)
    keys = [(p["target"], p["source"]) for p in present]
    why = "non-deterministic: two runs at the same inputs gave different values"
    try:
        again = evaluator.gradients(ones, keys) if keys else {}
        same_gradients = all(fdmath.same(plain[k], again[k]) for k in keys)
    except Exception as exc:  # it ran once and not twice: not reproducible
        same_gradients = False
        why = "not reproducible: a second run of the gradients failed: " + short_error(exc)
    deterministic = same_gradients and all(fdmath.same(first[t], second[t]) for t in first)
    record = {"deterministic": deterministic,
              "targets": dict((t, fdmath.fingerprint(v)) for t, v in first.items())}
    if evaluator.how:  # an eager cell's forward pass: traced or why not
        record["forward"] = evaluator.how
    for pair in present:
        value = fdmath.fingerprint(plain[(pair["target"], pair["source"])])
        pair["value"] = value
        if value.get("nan") or value.get("inf"):
            facts = {"checked": True, "counts": value}
            pair.update({"status": NONFINITE, "numeric": facts})
            fdcheck.explain(pair, evaluator, plain, ones, options)
    if options.get("numeric", True):
        if deterministic:
            fdcheck.check(pairs, evaluator, first, plain, options)
        else:
            for pair in pairs:
                if pair["status"] == GRAD:
                    pair["numeric"] = {"checked": False, "why": why}
    return record


def _own_gradients(evaluator, present, ones):
    """({(target, source): tf.gradients' own value}, the pairs that have one). A gradient whose
    evaluation fails in a TensorFlow kernel while its target evaluates is TensorFlow failing to
    compute it at these inputs: that pair becomes `error` with the exception (asked one by one to
    find which); any other failure leaves it without a numeric verdict."""
    keys = [(p["target"], p["source"]) for p in present]
    if not keys:
        return {}, []
    try:
        return evaluator.gradients(ones, keys), present
    except Exception:
        pass
    values, ok = {}, []
    for pair, key in zip(present, keys):
        try:
            values.update(evaluator.gradients(ones, [key]))
            ok.append(pair)
        except Exception as exc:
            if tferrors.raised_by_harness(exc):
                raise  # the harness's own bug: the worker makes it harness_error
            if tferrors.is_runtime_error(exc):  # TensorFlow's kernel failed on these inputs
                pair.update({"status": ERROR, "numeric": {"checked": False},
                             "detail": "evaluating the gradient raised " + short_error(exc)})
            else:  # the harness could not build or feed the evaluation: no verdict
                pair["numeric"] = {"checked": False,
                                   "why": "evaluation failed: " + short_error(exc)}
    return values, ok


def _harness_failed(pairs, what, exc):
    """The harness's own code failed while evaluating: every pair still waiting for its numeric
    verdict becomes harness_error (never `grad` without a word, never a TensorFlow finding)."""
    detail = tferrors.harness_detail(what, exc)
    for pair in pairs:
        if pair["status"] == GRAD and not (pair.get("numeric") or {}).get("checked"):
            pair.update({"status": HARNESS_ERROR, "detail": detail})
            pair.pop("numeric", None)
    return {"why": detail}


def judge(pairs, make_evaluator, options):
    """Values, NaN/Inf and the numeric check of a cell's grad pairs (numeric.evaluate); an
    evaluator that cannot start, or an evaluation that fails, is recorded, never fatal."""
    if not options.get("values", True):
        return {"why": "not evaluated (--no-values)"}
    try:
        evaluator = make_evaluator()
    except Exception as exc:
        if tferrors.raised_by_harness(exc):
            return _harness_failed(pairs, "starting the evaluation", exc)
        why = "no session: " + tferrors.error_text(exc)
        for pair in pairs:
            if pair["status"] == GRAD:
                pair["numeric"] = {"checked": False, "why": why}
        return {"why": why}
    for pair in pairs:
        if pair["source"] in evaluator.points:
            pair["point"] = evaluator.points[pair["source"]]
    try:
        record = evaluate(pairs, evaluator, options)
        if evaluator.seeded:
            record["seeded"] = evaluator.seeded
        return record
    except Exception as exc:  # the check must never cost the cell its symbolic statuses
        if tferrors.raised_by_harness(exc):
            return _harness_failed(pairs, "evaluating", exc)
        why = "check failed: " + tferrors.error_text(exc)
        for pair in pairs:
            if pair["status"] == GRAD and "numeric" not in pair:
                pair["numeric"] = {"checked": False, "why": why}
        return {"why": why}
    finally:
        evaluator.close()
