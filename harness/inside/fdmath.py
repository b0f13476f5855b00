"""The finite-difference maths of the numeric check: verdicts, directions, projected losses.

Inside rules: Python 3.6+, standard library and numpy only (every TensorFlow depends on numpy; it is
imported lazily). No TensorFlow here: harness.inside.numeric drives these functions with evaluators.
"""
import zlib

from harness.schema import GRAD, MISMATCH, ZERO

SEED = 20180801
NOISE_FACTOR = 5  # a mismatch must also exceed this many times the step-to-step change of the FD
RESOLUTION = 100  # ulps of L below which a change of L is round-off
SHARED_COS = 0.5  # targets whose gradients are this aligned with the shared direction share runs


def _np():
    import numpy
    return numpy


def rng(name):
    """A generator seeded by SEED and a name, so each placeholder/source gets its own fixed values."""
    return _np().random.RandomState((SEED + zlib.crc32(name.encode("utf-8"))) % (2 ** 32))


def verdict(analytic, fd, fd_half, all_zero, tol, floor=0.0):
    """(status, facts) for one pair from the directional derivative and two finite differences.

    floor: the smallest derivative the target's float resolution can show at this step.
    """
    noise = max(abs(fd - fd_half), floor)
    facts = {"analytic": analytic, "finite_difference": fd, "noise": noise}
    if all_zero:
        clearly = abs(fd) > NOISE_FACTOR * noise and abs(fd) > 0
        facts["rel_error"] = 1.0 if clearly else 0.0
        return (ZERO if clearly else GRAD), facts
    scale = max(abs(analytic), abs(fd))
    rel = abs(analytic - fd) / scale if scale > 0 else 0.0
    facts["rel_error"] = rel
    if rel <= tol:
        return GRAD, facts
    if abs(analytic - fd) <= NOISE_FACTOR * noise:
        # The difference moves with the step (kinks of relu, float32 round-off): no verdict.
        facts["inconclusive"] = True
        return GRAD, facts
    return MISMATCH, facts


def describe(status, facts, tol):
    """The pair's `detail` text for a numeric verdict."""
    if status == ZERO:
        return "gradient is all zero; finite difference {:.4g}".format(facts["finite_difference"])
    if status == MISMATCH:
        return "relative error {:.3g} > {:g}: TensorFlow {:.6g}, finite difference {:.6g}".format(
            facts["rel_error"], tol, facts["analytic"], facts["finite_difference"])
    return ""


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
