"""Evaluators of the numeric check: targets and projected gradients of a graph or an eager cell.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only, no imports from harness.host.
Graph cells check the very tensors the case's own tf.gradients call returned: that call starts from
default grad_ys (ones shaped like y), and feeding r into them makes the same gradient graph compute
dL/ds. No second gradient graph is built (GradientRecorder, default_grad_ys).
"""
from harness.inside import tfapi


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
