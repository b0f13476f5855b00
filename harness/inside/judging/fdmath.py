"""The finite-difference maths of the numeric check: verdicts, directions, projected losses.

Inside rules: Python 3.6+, standard library and numpy only (every TensorFlow depends on numpy; it is
imported lazily). No TensorFlow here: harness.inside.judging.numeric drives these functions with evaluators.
"""
import math
import zlib

from harness.schema import GRAD, MISMATCH, NONFINITE, ZERO

SEED = 20180801
# The estimate and its error. Two central differences, c1 at step h and c2 at h/2, give Richardson's
# estimate c2 + (c2 - c1) / 3 (no h^2 term) and its error: |c2 - c1| over-counts the truncation
# left in it, and ERROR_FACTOR scales the spread to the estimate's round-off (if L's round-off is
# independent noise of size u: the spread is 1.6 u/h, the estimate's own error 1.9 u/h, and a
# single spread is often smaller than its mean). A floor keeps it from trusting a lucky spread: the
# median spread of the source's other probes, and RESOLUTION ulps of sum |r * y| over h.
ERROR_FACTOR = 1.5
NOISE_FACTOR = 4  # a mismatch exceeds this many estimated errors (and the relative tolerance)
POOLED_Z = 2.5  # ... or, over several probes of one source, their root-mean-square does
RESOLUTION = 1  # ulps of the terms of L (root-sum-square) below which a change of L is round-off
SEEN = 0.05  # an agreement is a verdict where the check could have seen an error this large
# ... and, for a source of up to ELEMENT_SCOPE elements probed block by block, an error of
# ELEMENT_SEEN of the gradient's largest element in any one of its elements
ELEMENT_SEEN, ELEMENT_SCOPE = 0.1, 1024
SHARED_COS = 0.5  # targets whose gradients are this aligned with the shared direction share runs
FULL_VALUES = 1024  # fingerprints hold every element of a value up to this size (a change of one
# element by 1e-3 of the scale shows; a summary of a larger value misses it)
PROJECTIONS = 3  # ... and of larger ones: norm, sum, this many fixed random projections
COMPONENTS = 8  # sources up to this size get per-element finite differences in details


def _np():
    import numpy
    return numpy


def rng(name):
    """A generator seeded by SEED and a name, so each placeholder/source gets its own fixed values."""
    return _np().random.RandomState((SEED + zlib.crc32(name.encode("utf-8"))) % (2 ** 32))


def number(x):
    """A float for JSON: finite as it is, NaN and Inf as the strings 'nan', 'inf', '-inf'."""
    x = float(x)
    return x if math.isfinite(x) else repr(x)


def verdict(analytic, fd, fd_half, all_zero, tol, floor=0.0, sides=None, scale=None):
    """(status, facts) for one probe from a directional derivative and two finite differences.

    fd and fd_half: central differences at step h and h/2; the comparison is with their Richardson
    estimate, and the disagreement must exceed NOISE_FACTOR times its estimated error (the spread
    of the two, times ERROR_FACTOR, at least `floor`: the smallest derivative float resolution can
    show, or the source's typical spread) as well as `tol` relative to `scale` (default: the larger
    of the two values). facts["z"] is the disagreement in estimated errors. sides: the (forward,
    backward) one-sided differences at the full step; where they disagree the function has a kink
    or tie there, and TensorFlow's value between them is a valid subgradient: no verdict. A NaN or
    Inf on TensorFlow's side is `nonfinite`; on the finite-difference side it gives no verdict.
    Nothing non-finite can reach a comparison, so nothing non-finite can read as agreement.
    """
    facts = {"analytic": number(analytic), "finite_difference": number(fd)}
    if not math.isfinite(analytic):
        return NONFINITE, facts
    sides = tuple(sides or ())
    if not all(math.isfinite(x) for x in (fd, fd_half, floor) + sides):
        facts.update({"inconclusive": True, "why": "finite difference is not finite"})
        return GRAD, facts
    estimate = fd_half + (fd_half - fd) / 3.0
    noise = ERROR_FACTOR * max(abs(fd - fd_half), floor)
    facts.update({"finite_difference": number(estimate), "noise": noise})
    apart = abs(analytic - estimate)
    facts["z"] = apart / noise if noise > 0 else (0.0 if apart == 0 else math.inf)
    scale = max(abs(analytic), abs(estimate)) if scale is None else scale
    if all_zero:
        clearly = abs(estimate) > NOISE_FACTOR * noise and abs(estimate) > 0
        facts["rel_error"] = 1.0 if clearly else 0.0
        status = ZERO if clearly else GRAD
        if not clearly and estimate != 0:
            facts.update({"inconclusive": True, "why": "all-zero gradient, finite difference "
                          "{:.5g} within the noise of the step ({:.3g})".format(estimate, noise)})
            return GRAD, facts
    else:
        rel = apart / scale if scale > 0 else 0.0
        facts["rel_error"] = rel
        # the smallest relative error this probe could have told from the arithmetic's own
        facts["resolution"] = NOISE_FACTOR * noise / scale if scale > 0 else math.inf
        status = GRAD if rel <= tol or apart <= NOISE_FACTOR * noise else MISMATCH
        if status == GRAD and facts["resolution"] > SEEN and rel > tol:
            # Within what the arithmetic can tell (round-off, curvature), and that is too coarse
            # to call it an agreement.
            facts.update({"inconclusive": True, "why": "TensorFlow {:.5g}, finite difference "
                          "{:.5g}, apart by less than the noise of the step ({:.3g})".format(
                              analytic, estimate, noise)})
            return GRAD, facts
    if status != GRAD and sides:
        low, high = min(sides), max(sides)
        slack = tol * scale + NOISE_FACTOR * noise
        if high - low > slack and low - slack <= analytic <= high + slack:
            facts.update({"inconclusive": True, "sides": [low, high],
                          "why": "kink or tie: one-sided differences {:.5g} and {:.5g}, "
                                 "TensorFlow's value lies between".format(low, high)})
            return GRAD, facts
    return status, facts


def pooled(verdicts, tol):
    """Several probes of one source that each stay within NOISE_FACTOR estimated errors can still
    disagree together: a gradient wrong in one element moves every random direction's derivative
    by the same small amount. Where the root-mean-square of their disagreements (in estimated
    errors) exceeds POOLED_Z over three or more conclusive probes, the probe that disagrees most
    becomes a mismatch (if also beyond `tol`). Returns the verdicts, that one replaced."""
    plain = [i for i, (status, facts) in enumerate(verdicts)
             if status == GRAD and not facts.get("inconclusive") and math.isfinite(facts.get("z", 0))
             and "rel_error" in facts]
    if len(plain) < 3:
        return verdicts
    zs = [verdicts[i][1]["z"] for i in plain]
    rms = math.sqrt(sum(z * z for z in zs) / len(zs))
    if rms <= POOLED_Z:
        return verdicts
    top = max(plain, key=lambda i: verdicts[i][1]["z"])
    facts = dict(verdicts[top][1], pooled_z=rms, pooled_probes=len(plain))
    if facts["rel_error"] <= tol:
        return verdicts
    out = list(verdicts)
    out[top] = (MISMATCH, facts)
    return out


def element_resolution(blocks, scale):
    """The smallest error of one element (a share of `scale` > 0, the gradient's largest magnitude)
    that the conclusive block probes could have seen, the worst over their elements; None without
    any. blocks: [(direction, (status, facts))], each direction +-1/sqrt(k) on its k elements, so
    an error e in one of them moves the probe's derivative by e/sqrt(k), seen beyond
    NOISE_FACTOR estimated errors."""
    np = _np()
    seen = [NOISE_FACTOR * facts["noise"] / (float(np.abs(d).max()) * scale)
            for d, (status, facts) in blocks if status == GRAD and not facts.get("inconclusive")]
    return max(seen) if seen else None


RANK = {NONFINITE: 3, MISMATCH: 2, ZERO: 2, GRAD: 0}


def worst(verdicts):
    """The verdict of a gradient checked along several directions: the worst of them (an
    inconclusive `grad` ranks above a conclusive one, so the doubt is kept), and among equals the
    one with the largest error, whose numbers the report shows."""
    def rank(item):
        status, facts = item
        doubt = 1 if status == GRAD and facts.get("inconclusive") else 0
        apart = abs(float(facts["analytic"]) - float(facts["finite_difference"]))
        return (RANK[status] + doubt, facts.get("rel_error") or 0.0,
                apart if math.isfinite(apart) else math.inf)
    return max(verdicts, key=rank)


def _numbers(values):
    return "[" + ", ".join("{:.5g}".format(float(v)) for v in values) + "]"


def describe(status, facts, tol):
    """The pair's `detail` for a numeric verdict, in gradient terms where the source is small.

    facts["components"] ({"tensorflow": [...], "finite_differences": [...]}, d sum(target) / d each
    element of the source) is there for sources of up to COMPONENTS elements; larger sources are
    described by the directional numbers, labelled as such.
    """
    parts = facts.get("components")
    if parts:
        numbers = "TensorFlow {}, finite differences {}".format(
            _numbers(parts["tensorflow"]), _numbers(parts["finite_differences"]))
    elif "analytic" not in facts:  # NaN/Inf in tf.gradients' own value: no check ran
        numbers = ""
    else:
        numbers = ("along the gradient, directional derivative of sum(r * target) (r a fixed "
                   "random projection): TensorFlow {:.6g}, finite difference {:.6g}").format(
                       float(facts["analytic"]), float(facts["finite_difference"]))
    if status == NONFINITE:
        counts = facts["counts"]
        text = "{} NaN, {} Inf of {} elements".format(counts["nan"], counts["inf"], counts["size"])
        return text + ("; " + numbers if parts else "")
    if status == ZERO:
        return "gradient is all zero; " + numbers
    if status == MISMATCH:
        if "pooled_z" in facts:
            return ("{} (relative error {:.3g} > {:g}; over {} directions the disagreements are "
                    "{:.1f} times the finite differences' estimated error, root-mean-square)").format(
                        numbers, facts["rel_error"], tol, facts["pooled_probes"], facts["pooled_z"])
        return ("{} (relative error {:.3g} > {:g}, {} times the finite difference's estimated "
                "error)").format(numbers, facts["rel_error"], tol, _times(facts.get("z")))
    return ""


def _times(z):
    return "{:.3g}".format(z) if z is not None and math.isfinite(z) else "infinitely many"


def _floats(arrays):
    """Every element of a value (an array or a list of arrays) as one float64 vector, or None."""
    np = _np()
    arrays = [np.asarray(a) for a in (arrays if isinstance(arrays, (list, tuple)) else [arrays])]
    parts = []
    for a in arrays:
        if np.issubdtype(a.dtype, np.complexfloating):
            parts += [a.real.ravel(), a.imag.ravel()]
        elif np.issubdtype(a.dtype, np.floating):
            parts.append(a.ravel())
        else:
            return None, str(a.dtype)
    flat = np.concatenate(parts).astype("float64") if parts else np.zeros(0)
    return flat, ""


def fingerprint(value):
    """A value's fingerprint, comparable across releases: every element up to FULL_VALUES, else
    norm, sum and PROJECTIONS fixed random projections of the finite part; NaN/Inf counts; scale
    (the largest finite magnitude). A value that is not float gets only the reason."""
    np = _np()
    flat, dtype = _floats(value)
    if flat is None:
        return {"why": "not a float tensor ({})".format(dtype)}
    finite = np.isfinite(flat)
    part = np.where(finite, flat, 0.0)
    out = {"size": int(flat.size), "nan": int(np.isnan(flat).sum()),
           "inf": int(np.isinf(flat).sum()), "scale": float(np.abs(part).max()) if flat.size else 0.0}
    if flat.size <= FULL_VALUES:
        out["values"] = [number(x) for x in flat]
    else:
        r = rng("fingerprint/{}".format(flat.size)).standard_normal((PROJECTIONS, flat.size))
        out.update({"norm": float(np.sqrt(np.sum(np.square(part)))), "sum": float(part.sum()),
                    "projections": [float(x) for x in r.dot(part)]})
    return out


def same(a, b):
    """Two evaluations give the very same numbers (NaN equal to NaN): the cell is deterministic."""
    np = _np()
    fa, _ = _floats(a)
    fb, _ = _floats(b)
    if fa is None or fb is None:
        return all(np.array_equal(x, y) for x, y in zip(a, b))
    if fa.shape != fb.shape:
        return False
    return bool(((fa == fb) | (np.isnan(fa) & np.isnan(fb))).all())


def variable_value(name, shape, dtype):
    """The value every release loads into a trainable variable: seeded by its name and shape.

    Rank >= 2: uniform in +-sqrt(6 / (fan_in + fan_out)) (Glorot's scale, so layers stay in their
    working range); rank 0 and 1 (biases, batch-norm scale and offset): uniform in [0.5, 1.5].
    """
    shape = list(shape)
    r = rng("variable/{}/{}".format(name, shape))
    if len(shape) >= 2:
        fan_in, fan_out = int(_np().prod(shape[:-1])), shape[-1]
        limit = math.sqrt(6.0 / max(fan_in + fan_out, 1))
        return r.uniform(-limit, limit, size=shape).astype(dtype)
    return r.uniform(0.5, 1.5, size=shape).astype(dtype)


def loss(projection, values):
    return float(sum((r * v).sum() for r, v in zip(projection, values)))


def unit(v):
    np = _np()
    return v / (float(np.sqrt(np.sum(np.square(v)))) or 1.0)


def directions(source, gradients):
    """[(unit direction, targets)]: one shared by targets whose gradients point alike, then the rest.

    Along d = unit(sum of unit gradients) every target with <unit(g), d> >= SHARED_COS is checked
    by the same perturbed runs; the others get their own gradient's direction, and all-zero
    gradients a fixed random one (sharing the runs is what keeps the seed's check affordable).
    """
    np = _np()
    present = [t for t, g in gradients.items() if np.any(g)]
    zero = [t for t in gradients if t not in present]
    plan = []
    if present:
        d = unit(sum(unit(gradients[t]) for t in present))
        together = [t for t in present if float((unit(gradients[t]) * d).sum()) >= SHARED_COS]
        plan.append((d, together))
        plan.extend((unit(gradients[t]), [t]) for t in present if t not in together)
    if zero:
        shape = gradients[zero[0]].shape
        plan.append((unit(rng("d/" + source).standard_normal(shape)), zero))
    return [(d, ts) for d, ts in plan if ts]
