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

Graph cells check the very tensors the case's own tf.gradients call returned: that call starts from
default grad_ys (ones shaped like y), and feeding r into them makes the same gradient graph compute
dL/ds. No second gradient graph is built (GradientRecorder, default_grad_ys).
"""
import zlib

from harness.inside import tfapi
from harness.schema import GRAD, MISMATCH, ZERO

SEED = 20180801
DEFAULT_EPS = 1e-3
DEFAULT_TOL = 0.05
NOISE_FACTOR = 5  # a mismatch must also exceed this many times the step-to-step change of the FD
RESOLUTION = 100  # ulps of L below which a change of L is round-off
SHARED_COS = 0.5  # targets whose gradients are this aligned with the shared direction share runs
NONE_SIZE = 2  # the size given to None dimensions of generated feeds


def _np():
    import numpy
    return numpy


def _rng(name):
    """A generator seeded by SEED and a name, so each placeholder/source gets its own fixed values."""
    return _np().random.RandomState((SEED + zlib.crc32(name.encode("utf-8"))) % (2 ** 32))


def generated_value(name, shape, dtype):
    """A deterministic value for a placeholder: normal floats, True, small positive integers."""
    np = _np()
    shape = [NONE_SIZE if d is None else d for d in (shape if shape is not None else [NONE_SIZE])]
    dtype = getattr(dtype, "base_dtype", dtype)
    if dtype.is_bool:
        return np.ones(shape, dtype=bool)
    if dtype.is_integer:
        return _rng(name).randint(1, 4, size=shape).astype(dtype.as_numpy_dtype)
    if tfapi.is_float(dtype):
        return _rng(name).standard_normal(shape).astype(dtype.as_numpy_dtype)
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


def _loss(projection, values):
    return float(sum((r * v).sum() for r, v in zip(projection, values)))


def check(pairs, evaluator, eps=DEFAULT_EPS, tol=DEFAULT_TOL):
    """Add a numeric verdict to every `grad` pair of one cell (status, detail and 'numeric')."""
    np = _np()
    todo = [p for p in pairs if p["status"] == GRAD]
    if not todo:
        return
    try:
        base = evaluator.targets()
        projections = dict((t, [_rng("r/" + t).standard_normal(v.shape) for v in vals])
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


def _unit(v):
    np = _np()
    return v / (float(np.sqrt(np.sum(np.square(v)))) or 1.0)


def _directions(source, gradients):
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
        d = _unit(sum(_unit(gradients[t]) for t in present))
        together = [t for t in present if float((_unit(gradients[t]) * d).sum()) >= SHARED_COS]
        plan.append((d, together))
        plan.extend((_unit(gradients[t]), [t]) for t in present if t not in together)
    if zero:
        shape = gradients[zero[0]].shape
        plan.append((_unit(_rng("d/" + source).standard_normal(shape)), zero))
    return [(d, ts) for d, ts in plan if ts]


def _differences(evaluator, source, s0, step, projections, targets):
    """{target: (central difference of L at this step, smallest difference float resolution shows)}."""
    np = _np()
    losses, ulp = {}, 0.0
    try:
        for sign in (1.0, -1.0):
            evaluator.set(source, (s0 + sign * step).astype(s0.dtype))
            values = evaluator.targets()
            for t in targets:
                losses[(t, sign)] = _loss(projections[t], values[t])
                ulp = max([ulp] + [float(np.finfo(v.dtype).eps) for v in values[t]])
    finally:
        evaluator.set(source, s0)
    h = float(np.sqrt(np.sum(np.square(step)))) or 1.0
    # Changes of L below ~100 ulps of L itself are round-off (float32: 1e-5 of L).
    return dict((t, ((losses[(t, 1.0)] - losses[(t, -1.0)]) / (2 * h),
                     RESOLUTION * ulp * max(abs(losses[(t, 1.0)]), abs(losses[(t, -1.0)])) / h))
                for t in targets)


def _check_source(evaluator, source, group, grads, projections, eps, tol):
    """{target: (status, facts)} for one source: +-h runs, and +-h/2 only to confirm a finding."""
    np = _np()
    s0 = evaluator.get(source)
    h = eps * (float(np.sqrt(np.sum(np.square(s0.astype("float64"))))) or np.sqrt(s0.size or 1.0))
    gradients = dict((p["target"], grads[(p["target"], source)].astype("float64")) for p in group)
    out = {}
    for d, targets in _directions(source, gradients):
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


class GradientRecorder(object):
    """tf.gradients(ys, xs) exactly as the case would call it, remembering each call's grad_ys."""

    def __init__(self, api, graph):
        self.api, self.graph = api, graph
        self.calls = []

    def __call__(self, ys, xs):
        before = set(self.graph.get_operations())
        grads = self.api.gradients(ys, xs)
        new_ops = [op for op in self.graph.get_operations() if op not in before]
        self.calls.append((list(xs), list(grads), default_grad_ys(new_ops, ys)))
        return grads

    def lookup(self, source):
        """(dense gradient tensor, grad_ys tensors) of the latest call that returned one, or None."""
        for xs, grads, grad_ys in reversed(self.calls):
            for x, grad in zip(xs, grads):
                if x is source and grad is not None and grad_ys is not None:
                    return tfapi.dense(grad, self.api), grad_ys
        return None


class GraphEvaluator(object):
    """Targets and projected gradients of a graph cell by session runs; sources fed or loaded.

    recorded: {(target, source): (gradient tensor, its grad_ys tensors)} from the case's own calls;
    pairs without one get a gradient graph of their own built with grad_ys = r.
    """

    def __init__(self, api, graph, targets, sources, feed_dict, recorded=None):
        self.api, self.graph, self.ys, self.sources = api, graph, targets, sources
        self.feed_dict = feed_dict
        self.recorded = recorded or {}
        self.overrides = {}
        self.base = None  # see _start()
        # One op that loads every float variable from a placeholder: a single run signature for all
        # set() calls (a Variable.load per variable costs a new executor per variable), made before
        # the session's first run.
        self.loads = {}
        with graph.as_default(), graph.name_scope("harness_numeric_load"):
            for name, source in sorted(sources.items()):
                if tfapi.is_variable(source) and tfapi.is_float(source.dtype):
                    dtype = source.dtype.base_dtype
                    self.loads[name] = api.placeholder(dtype, shape=source.shape)
            self.load_op = api.group(*[sources[n].assign(ph) for n, ph in self.loads.items()]) \
                if self.loads else None
        self.sess = tfapi.session(api, graph)

    def run(self, fetches, overrides=True, extra=None):
        feed = dict(self.feed_dict)
        if overrides:
            feed.update(self.overrides)
        if extra:
            feed.update(extra)
        return self.sess.run(fetches, feed_dict=feed)

    def targets(self):
        return self.run(self.ys)

    def gradients(self, projections, pairs):
        """{(target, source): dL/ds} for L = sum(r * target)."""
        if all(p in self.recorded for p in pairs):
            feed, keys = {}, list(pairs)
            for tname, sname in keys:
                for grad_y, r in zip(self.recorded[(tname, sname)][1], projections[tname]):
                    feed[grad_y] = r.astype(grad_y.dtype.as_numpy_dtype)
            values = self.run([self.recorded[k][0] for k in keys], extra=feed)
            return dict(zip(keys, values))
        fetches = {}
        for tname in sorted(set(t for t, _ in pairs)):
            names = [s for t, s in pairs if t == tname]
            ys = self.ys[tname]
            grad_ys = [self.api.constant(r.astype(y.dtype.as_numpy_dtype))
                       for r, y in zip(projections[tname], ys)]
            grads = self.api.gradients(ys, [self.sources[n] for n in names], grad_ys=grad_ys)
            for name, grad in zip(names, grads):
                fetches[(tname, name)] = tfapi.dense(grad, self.api)
        # A session cannot run ops added after its first run when tf.gradients rewrote an op it
        # already ran (TF 2.2 - 2.4, control flow v2 while loops: "Connecting to invalid output N
        # of source node .../while"); a new one can, with the same seeded initial values.
        self.sess.close()
        self.sess = tfapi.session(self.api, self.graph)
        keys = list(fetches)
        return dict(zip(keys, self.run([fetches[k] for k in keys])))

    def unperturbable(self, name):
        source = self.sources[name]
        if not tfapi.is_float(source.dtype):
            return "integer source: cannot be perturbed"
        if not tfapi.is_variable(source) and not self.graph.is_feedable(source):
            return "source tensor cannot be fed"
        return ""

    def _start(self):
        """Every perturbable source's starting value, read by one run the first time it is asked."""
        if self.base is None:
            names = [n for n in sorted(self.sources) if not self.unperturbable(n)]
            values = self.run([self.sources[n] for n in names], overrides=False)
            self.base = dict(zip(names, values))
        return self.base

    def get(self, name):
        return self._start()[name]

    def set(self, name, value):
        # Perturbable variables are float variables: all of them are in self.loads.
        if name in self.loads:
            start = self._start()
            feed = dict((ph, value if n == name else start[n]) for n, ph in self.loads.items())
            self.sess.run(self.load_op, feed_dict=feed)
        else:
            self.overrides[self.sources[name]] = value

    def close(self):
        self.sess.close()


class EagerEvaluator(object):
    """Targets and projected gradients of an eager cell by calling compute(); variables assigned."""

    def __init__(self, tf, compute, sources):
        self.tf, self.compute, self.sources = tf, compute, sources

    def targets(self):
        return dict((t, [y.numpy() for y in tfapi.flatten(v)]) for t, v in self.compute().items())

    def gradients(self, projections, pairs):
        tf = self.tf
        with tf.GradientTape(persistent=True) as tape:
            for source in self.sources.values():
                if not tfapi.is_variable(source):
                    tape.watch(source)
            out = self.compute()
            losses = {}
            for tname in set(t for t, _ in pairs):
                ys = tfapi.flatten(out[tname])
                losses[tname] = tf.add_n([tf.reduce_sum(tf.cast(r, y.dtype) * y)
                                          for r, y in zip(projections[tname], ys)])
        got = {}
        for tname, sname in pairs:
            got[(tname, sname)] = tfapi.dense(tape.gradient(losses[tname], self.sources[sname]),
                                              tf).numpy()
        return got

    def unperturbable(self, name):
        source = self.sources[name]
        if not tfapi.is_float(source.dtype):
            return "integer source: cannot be perturbed"
        if not tfapi.is_variable(source):
            return "tensor source of an eager case: compute() cannot see a perturbed value"
        return ""

    def get(self, name):
        return self.sources[name].numpy()

    def set(self, name, value):
        self.sources[name].assign(value)

    def close(self):
        pass
