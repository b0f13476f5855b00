"""Evaluators of the numeric check: targets and projected gradients of a graph or an eager cell.

Inside rules: Python 3.6+, standard library, numpy and TensorFlow only, no imports from harness.host.
Graph cells check the very tensors the case's own tf.gradients call returned: that call starts from
default grad_ys (ones shaped like y), and feeding r into them makes the same gradient graph compute
dL/ds. No second gradient graph is built (GradientRecorder, tfapi.default_grad_ys).
"""
from harness.inside import tfapi
from harness.inside.judging import fdmath, forward, points


class GradientRecorder(object):
    """tf.gradients(ys, xs) exactly as the case would call it, remembering each call's grad_ys."""

    def __init__(self, api, graph):
        self.api, self.graph = api, graph
        self.calls = []

    def __call__(self, ys, xs):
        before = set(self.graph.get_operations())
        grads = self.api.gradients(ys, xs)
        new_ops = [op for op in self.graph.get_operations() if op not in before]
        self.calls.append((list(xs), list(grads), tfapi.default_grad_ys(new_ops, ys)))
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

    Every float variable of known shape is loaded before the first evaluation with a value that is
    the same on every release: the case's (`values`, or an initial value it chose: points), else
    the one fdmath.variable_value gives its name and shape; non-trainable variables (batch-norm
    moving statistics) keep their initial values.
    recorded: {(target, source): (gradient tensor, its grad_ys tensors)} from the case's own calls;
    pairs without one get a gradient graph of their own, built once, with grad_ys placeholders.
    """
    how = ""  # a graph cell has no eager forward pass to choose (EagerEvaluator.how says which)

    def __init__(self, api, graph, targets, sources, feed_dict, recorded=None, given=None):
        self.api, self.graph, self.ys, self.sources = api, graph, targets, sources
        self.feed_dict = feed_dict
        self.built = dict(recorded or {})
        self.overrides = {}
        self.base = {}  # starting values of tensor sources, read when first asked
        with graph.as_default():
            trainable = list(api.trainable_variables())
        candidates = trainable + [s for s in sources.values() if tfapi.is_variable(s)]
        self.variables = []
        for var in candidates:
            shape = tfapi.static_shape(var)
            if (tfapi.is_float(var.dtype) and shape is not None and None not in shape
                    and not any(var is v for v in self.variables)):
                self.variables.append(var)
        # One op that loads every such variable from a placeholder: a single run signature for
        # all loads (a Variable.load per variable costs a new executor per variable), made before
        # the session's first run.
        with graph.as_default(), graph.name_scope("harness_numeric_load"):
            self.loads = [api.placeholder(v.dtype.base_dtype, shape=v.shape) for v in self.variables]
            self.load_op = api.group(*[v.assign(ph) for v, ph in zip(self.variables, self.loads)]) \
                if self.variables else None
        self.sess = tfapi.session(api, graph)
        self.values, self.points, self.seeded = self._point(trainable, given or {})
        self.start = list(self.values)
        self._load()

    def _point(self, trainable, given):
        """(each variable's starting value, {source: points.CASE or SEEDED}, {seeded variable:
        the op that draws its initial value}). A value the case names (`values`) or chose (its
        initial value drawn by no random op), and a non-trainable variable's, are kept; a
        random one is seeded by the name the case gives it as a source, else by its own name:
        releases rename variables (Keras 'gru/kernel' became 'gru/gru_cell/kernel'), the case's
        source names stay."""
        names = dict((id(s), n) for n, s in self.sources.items())
        name_of = dict((id(v), names.get(id(v)) or tfapi.variable_name(v)) for v in self.variables)
        drawn = {}
        for var in self.variables:
            name = name_of[id(var)]
            if name not in given and any(var is t for t in trainable):
                drawn[id(var)] = points.drawn_by(var)
        kept = [v for v in self.variables if not drawn.get(id(v))]
        own = dict(zip([id(v) for v in kept], self.sess.run(kept))) if kept else {}
        values, where, seeded = [], {}, {}
        for var in self.variables:
            name = name_of[id(var)]
            if name in given:
                values.append(given[name])
            elif drawn.get(id(var)):
                seeded[name] = drawn[id(var)]  # 'drawn by RandomUniform'
                values.append(fdmath.variable_value(name, tfapi.static_shape(var),
                                                    var.dtype.base_dtype.as_numpy_dtype))
            else:
                values.append(own[id(var)])
            if id(var) in names:
                where[name] = points.SEEDED if name in seeded else points.CASE
        return values, where, seeded

    def _load(self):
        if self.load_op is not None:
            self.sess.run(self.load_op, feed_dict=dict(zip(self.loads, self.values)))

    def _index(self, name):
        """Position of a source among the loaded variables, or None for a fed tensor."""
        source = self.sources[name]
        for i, var in enumerate(self.variables):
            if var is source:
                return i
        return None

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
        """{(target, source): dL/ds} for L = sum(r * target); r = ones gives tf.gradients' own."""
        missing = [p for p in pairs if p not in self.built]
        try:
            for tname in sorted(set(t for t, _ in missing)):
                names = [s for t, s in missing if t == tname]
                ys = self.ys[tname]
                grad_ys = [self.api.placeholder(y.dtype.base_dtype, shape=y.shape) for y in ys]
                grads = self.api.gradients(ys, [self.sources[n] for n in names], grad_ys=grad_ys)
                for name, grad in zip(names, grads):
                    self.built[(tname, name)] = (tfapi.dense(grad, self.api), grad_ys)
        finally:
            if missing:
                # A session cannot run ops added after its first run when tf.gradients rewrote
                # an op it already ran (TF 2.2 - 2.4, control flow v2 while loops: "Connecting to
                # invalid output N of source node .../while"); a new one can, loaded with the
                # same values. Also after a build that failed half way: the graph grew.
                self.sess.close()
                self.sess = tfapi.session(self.api, self.graph)
                self._load()
        feed, keys = {}, list(pairs)
        for tname, sname in keys:
            for grad_y, r in zip(self.built[(tname, sname)][1], projections[tname]):
                feed[grad_y] = r.astype(grad_y.dtype.as_numpy_dtype)
        values = self.run([self.built[k][0] for k in keys], extra=feed)
        return dict(zip(keys, values))

    def unperturbable(self, name):
        source = self.sources[name]
        if not tfapi.is_float(source.dtype):
            return "integer source: cannot be perturbed"
        if tfapi.is_variable(source):
            return "" if self._index(name) is not None else "variable of unknown shape"
        if not self.graph.is_feedable(source):
            return "source tensor cannot be fed"
        return ""

    def get(self, name):
        i = self._index(name)
        if i is not None:
            return self.values[i]
        if name not in self.base:
            self.base[name] = self.run(self.sources[name], overrides=False)
        return self.base[name]

    def set(self, name, value):
        i = self._index(name)
        if i is not None:
            self.values[i] = value
            self._load()
        else:
            self.overrides[self.sources[name]] = value

    def reset(self, name):
        """The source back at its starting value, and a fed tensor no longer fed: a later check of
        a source upstream of it must see the tensor move."""
        i = self._index(name)
        if i is not None:
            self.values[i] = self.start[i]
            self._load()
        else:
            self.overrides.pop(self.sources[name], None)

    def close(self):
        self.sess.close()


class EagerEvaluator(object):
    """Targets and projected gradients of an eager cell by calling compute(); variables assigned."""

    def __init__(self, tf, compute, sources, chosen=(), given=None):
        """chosen: the sources whose own values are the same on every release (points); given:
        the case's `values`. Every other trainable float variable source is seeded by the case's
        name of it (variable names differ between Keras releases)."""
        self.tf, self.compute, self.sources = tf, compute, sources
        given = given or {}
        self.points, self.seeded = {}, {}
        for name, var in sources.items():
            if not tfapi.is_variable(var):
                continue
            if name in given:
                var.assign(given[name])
            elif name not in chosen and getattr(var, "trainable", False) and tfapi.is_float(
                    var.dtype) and var.shape.is_fully_defined():
                self.seeded[name] = "different when build() runs under another seed"
                var.assign(fdmath.variable_value(name, var.shape.as_list(),
                                                 var.dtype.base_dtype.as_numpy_dtype))
            self.points[name] = points.SEEDED if name in self.seeded else points.CASE
        self.start = dict((name, var.numpy()) for name, var in sources.items()
                          if tfapi.is_variable(var))
        self.forward, self.how = None, ""

    def targets(self):
        """The targets' values by the forward pass chosen at the first call (forward.choose)."""
        if self.forward is None:
            self.forward, self.how, got = forward.choose(self.tf, self.compute)
            return got
        return forward.values(self.forward())

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

    def reset(self, name):
        self.sources[name].assign(self.start[name])

    def close(self):
        pass
