"""Scripts as a source of cells: a user's own script, unmodified, run as it is while its gradient
calls are recorded; each call becomes a target of the same cells a case file gives.

Inside rules: Python 3.6+, standard library and TensorFlow only, no imports from harness.host.

- A graph script (TF1 API: tf.gradients, sessions, placeholders) runs to its end inside the cell's
  graph. Every first call of tf.gradients (tf.compat.v1.gradients) and of GradientTape.gradient
  / jacobian at a line of the script is a target group: the target is named by the call's source
  text ("new_state @ line 63"), its sources are the call's xs, named by variable name, or by the
  expression text for tensors. The feeds of the script's first Session.run with a feed_dict are the
  cell's feeds. On TF 2.x, `import tensorflow as tf` gives the script tf.compat.v1 with
  disable_v2_behavior() (the compat switch; --no-compat runs it on TF 2.x's own API).
- An eager script (GradientTape, no tf.gradients) runs up to its first gradient call: that call's
  target and variables are the cell's. compute() runs the script again up to that call, with every
  variable it creates replaced, in creation order, by the first run's: the evaluator moves those.
The harness then differentiates the recorded targets itself, as for a case: one evaluation path.
"""
import builtins
import os
import sys

from harness.inside import tfapi
from harness.inside.sources.callsites import TAPE_CALLS, Site, sites

class _Stop(BaseException):
    """Raised at an eager script's first gradient call: the run has what it came for."""


class Call(object):
    def __init__(self, site, ys, xs):
        self.site, self.ys, self.xs = site, ys, xs


class Script(object):
    """One run of the script: the TensorFlow it imports, what it records, how it ends."""

    def __init__(self, path, compat=True):
        self.path = os.path.abspath(path)
        with open(self.path, "rb") as fh:
            self.text = fh.read().decode("utf-8")
        self.code = compile(self.text, self.path, "exec")
        self.sites = sites(self.text, self.path)
        self.compat = compat

    def site_of(self, lineno):
        """The call site that holds a line being executed (a call's arguments may span lines)."""
        inside = [s for s in self.sites if s.line <= lineno <= s.last]
        return inside[-1] if inside else None

    def caller_line(self):
        frame = sys._getframe(2)
        while frame is not None and os.path.abspath(frame.f_code.co_filename) != self.path:
            frame = frame.f_back
        return frame.f_lineno if frame is not None else None

    def run(self, tf, api, graph_mode, stop_at_first=False, creator=None):
        """Executes the script once: (calls in order, feeds of its first fed Session.run, the
        exception it ended with or None). Patches are undone whatever happens."""
        calls, seen, feeds = [], set(), []
        script = self

        def record(ys, xs):
            line = script.caller_line()
            site = script.site_of(line) if line is not None else None
            key = site.line if site is not None else line
            if key in seen:
                return
            seen.add(key)
            if site is None:  # called through a name the script's text does not show
                site = Site.unplaced(line)
            calls.append(Call(site, ys, xs))
            if stop_at_first:
                raise _Stop()

        patches = []

        def patch(owner, attr, make):
            original = owner.__dict__.get(attr) if isinstance(owner, type) else getattr(
                owner, attr, None)
            if original is None:
                return
            patches.append((owner, attr, original))
            setattr(owner, attr, make(original))

        def graph_gradients(original):
            def gradients(*args, **kwargs):
                record(_arg(args, kwargs, 0, "ys"), _arg(args, kwargs, 1, "xs"))
                return original(*args, **kwargs)
            return gradients

        def tape_method(original):
            def method(tape, *args, **kwargs):
                record(_arg(args, kwargs, 0, "target"), _arg(args, kwargs, 1, "sources"))
                return original(tape, *args, **kwargs)
            return method

        def session_run(original):
            def run(sess, fetches, feed_dict=None, *args, **kwargs):
                if feed_dict and not feeds:
                    feeds.append(dict(feed_dict))
                return original(sess, fetches, feed_dict, *args, **kwargs)
            return run

        for module in _tf_modules(tf):
            patch(module, "gradients", graph_gradients)
        tape = getattr(tf, "GradientTape", None)
        if tape is not None:
            for attr in TAPE_CALLS:
                patch(tape, attr, tape_method)
        session = getattr(api, "Session", None)
        for cls in (session.__mro__ if isinstance(session, type) else ()):
            if "run" in cls.__dict__:
                patch(cls, "run", session_run)
                break
        real_import = builtins.__import__
        given = api if graph_mode and self.compat else tf

        def imports(name, globals=None, locals=None, fromlist=(), level=0):
            if name == "tensorflow" and not fromlist and level == 0:
                real_import(name, globals, locals, fromlist, level)
                return given
            return real_import(name, globals, locals, fromlist, level)

        namespace = {"__name__": "__main__", "__file__": self.path,
                     "__builtins__": dict(vars(builtins), __import__=imports)}
        argv, path0 = sys.argv, list(sys.path)
        sys.argv = [self.path]
        sys.path.insert(0, os.path.dirname(self.path))
        ended = None
        try:
            if graph_mode and self.compat and tfapi.major(tf) >= 2:
                api.disable_v2_behavior()
            scope = creator and tf.variable_creator_scope(creator)
            if scope:
                with scope:
                    exec(self.code, namespace)
            else:
                exec(self.code, namespace)
        except _Stop:
            pass
        except SystemExit as exc:
            if exc.code not in (None, 0):
                ended = exc
        except BaseException as exc:  # a script may raise anything
            ended = exc
        finally:
            sys.argv = argv
            sys.path[:] = path0
            for owner, attr, original in reversed(patches):
                setattr(owner, attr, original)
        return calls, (feeds[0] if feeds else {}), ended


def _arg(args, kwargs, index, name):
    return args[index] if len(args) > index else kwargs.get(name)


def _tf_modules(tf):
    """The modules whose `gradients` a script may call: tf, tf.compat.v1, tf.compat.v2."""
    out = [tf]
    compat = getattr(tf, "compat", None)
    for name in ("v1", "v2"):
        module = getattr(compat, name, None)
        if module is not None and module is not tf:
            out.append(module)
    return out


def source_names(call, tf):
    """{name: source} of one call's xs: variables by name (Keras 3's by path), tensors by the
    expression text of the call's list, else '<xs text>[i]'."""
    xs = call.xs if isinstance(call.xs, (list, tuple)) else [call.xs]
    out = {}
    for i, x in enumerate(xs):
        inner = tfapi.tf_variable(x)
        if tfapi.is_variable(inner):
            name = getattr(x, "path", None) if inner is not x else None
            name = name or tfapi.variable_name(inner)
        elif i < len(call.site.sources):
            name = call.site.sources[i]
        else:
            name = "xs[{}]".format(i)
        while name in out:
            name += "'"
        out[name] = inner
    return out


class ScriptModule(object):
    """The script seen as a case module: build(tf) runs it and returns what a case's build()
    would (targets, sources per target, feeds; or compute for an eager script)."""

    FAILED = "the script raised"  # the worker's words for an exception of build()

    def __init__(self, path, mode, compat=True):
        self.script = Script(path, compat)
        self.mode = mode

    def build(self, tf, **variant):
        real, api = tfapi.load()
        if self.mode == "eager":
            return self._eager(real)
        calls, feeds, ended = self.script.run(real, api, graph_mode=True)
        return self._built(calls, ended, real, feeds=_placeholder_feeds(api, feeds))

    def _built(self, calls, ended, tf, **more):
        if not calls:
            if ended is not None:
                raise ended
            raise ScriptError("{}: the script ran to its end without a gradient call "
                              "(tf.gradients, GradientTape.gradient or jacobian)".format(
                                  os.path.basename(self.script.path)))
        targets, sources, of = {}, {}, {}
        for call in calls:
            named = source_names(call, tf)
            targets[call.site.name] = call.ys
            sources.update(named)
            of[call.site.name] = list(named)
        built = {"targets": targets, "sources": sources, "sources_of": of}
        built.update(more)
        if ended is not None:
            built["ended"] = "the script raised after its gradient calls: {}: {}".format(
                type(ended).__name__, str(ended).strip().splitlines()[0] if str(ended).strip()
                else "")
        return built

    def _eager(self, tf):
        created = []

        def remember(next_creator, **kwargs):
            var = next_creator(**kwargs)
            created.append(var)
            return var

        seed = _global_seed(tf)
        calls, _, ended = self.script.run(tf, tf, graph_mode=False, stop_at_first=True,
                                          creator=remember)
        built = self._built(calls, ended, tf)
        name = calls[0].site.name
        script = self.script

        def compute():
            again = []

            def reuse(next_creator, **kwargs):
                next_creator(**kwargs)  # made and dropped: random draws stay in step
                if len(again) >= len(created):
                    raise ScriptError("the script creates more variables on a second run")
                again.append(created[len(again)])
                return again[-1]

            tfapi.set_seed(tf, seed)  # the build's draws again: the same data
            found, _, failed = script.run(tf, tf, graph_mode=False, stop_at_first=True,
                                          creator=reuse)
            if not found:
                raise failed or ScriptError("the script made no gradient call on a second run")
            return {name: found[0].ys}

        return {"compute": compute, "sources": built["sources"], "targets": built["targets"]}


def _global_seed(tf):
    """The global seed the worker set before build() (fdmath.SEED, or SEED + 1 when the point
    check builds again): every re-run starts from it."""
    from tensorflow.python.eager import context  # get_seed() would draw an op seed
    return context.global_seed()


class ScriptError(Exception):
    """A script that cannot give cells: the message names it and why."""


def _placeholder_feeds(api, feeds):
    """The script's feed_dict keys that are placeholders of the graph, as tensors."""
    graph = api.get_default_graph()
    names = set(t.name for t in tfapi.placeholders(graph, with_default=True))
    out = {}
    for key, value in feeds.items():
        try:
            tensor = graph.as_graph_element(key) if isinstance(key, str) else key
        except (KeyError, ValueError, TypeError):
            continue
        if getattr(tensor, "name", None) in names:
            out[tensor] = value
    return out
