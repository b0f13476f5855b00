"""Worker: imports TensorFlow once, runs the cells it is given, reports each as one JSON line.

Graph and eager cells share the worker: eager execution stays on (TF 2.x) and every graph cell is
built and evaluated inside a tf.Graph of its own (run_graph); switches a cell flips process-wide are
put back after it (tfapi.switches).

Inside rules: Python 3.6+, standard library and TensorFlow only, no imports from harness.host.
Started by harness.inside.running.supervisor; reads its job as JSON on stdin and writes messages to the file
descriptor named by --fd (stdout and stderr belong to TensorFlow's logging).
"""
import importlib.util
import json
import os
import sys
import time

from harness.inside import tferrors, tfapi
from harness.inside.judging import evaluators, fdmath, numeric, points, stoppoint
from harness.inside.running import envinfo
from harness.inside.sources import cases, scripts
from harness.schema import ERROR, HARNESS_ERROR, NONE, OK, SKIPPED


class _Clock(object):
    """Seconds spent in each phase of a cell (gradients, breakpoint, numeric)."""

    def __init__(self):
        self.last = time.time()
        self.laps = {}

    def lap(self, name):
        now = time.time()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


class Worker(object):
    def __init__(self, out, options=None):
        self.out = out
        self.options = options or {}
        self.modules = {}
        self.tf = self.api = None

    def send(self, message):
        self.out.write((json.dumps(message) + "\n").encode("utf-8"))
        self.out.flush()

    def module(self, name, path, cell=None):
        """(the case module, import failure, the process-wide switches its import left), imported
        once per worker. What the import switched (a TF1 script's disable_v2_behavior() at its top)
        holds for that case's cells only: it is undone here and applied again around each of them.
        A script is not imported: its module runs it at each build() (sources.scripts)."""
        if cell is not None and cell.get("kind") == "script":
            return scripts.ScriptModule(path, cell.get("mode"), self.options.get(
                "compat", True)), None, tfapi.switches()
        if name not in self.modules:
            before = tfapi.switches()
            # its folder first on the path, as when it runs on its own: its `_*.py` helpers import
            sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
            try:
                spec = importlib.util.spec_from_file_location("harness_case_" + name, path)
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                self.modules[name] = (mod, None, tfapi.switches())
            except BaseException as exc:  # a case may raise anything, SystemExit included
                self.modules[name] = (None, tferrors.case_failure("import failed:", exc, path), [])
            finally:
                sys.path.pop(0)
                tfapi.restore_switches(before)
        return self.modules[name]

    def run_cell(self, cell):
        state = tfapi.switches()
        mod, problem, own = self.module(cell["case"], cell["path"], cell)
        if problem:
            return dict(problem, pairs=[])
        variant = cases.case_variant(cell["variant"])
        tfapi.restore_switches(own)
        try:
            if cell.get("mode") == "eager":
                return self.run_eager(mod, cell, variant)
            return self.run_graph(mod, cell, variant)
        finally:
            # a case may switch control flow v2 for its variant, or v1 behaviour for its graph
            tfapi.restore_switches(state)

    def build(self, mod, api, cell, variant, needs):
        """(what build() returned, None) or (None, the cell's result when it cannot go on)."""
        try:
            built = mod.build(api, **variant)
        except scripts.ScriptError as exc:  # a script that ran but gave nothing to evaluate
            return None, {"status": ERROR, "pairs": [], "detail": str(exc)}
        except BaseException as exc:
            return None, tferrors.case_failure(getattr(mod, "FAILED", "build() raised"), exc,
                                               cell["path"])
        if isinstance(built, dict) and built.get("skip"):
            return None, {"status": SKIPPED, "detail": str(built["skip"]), "pairs": []}
        if not isinstance(built, dict) or not built.get(needs):
            return None, {"status": ERROR, "pairs": [],
                          "detail": "{}: build() returned no {!r}".format(cell["path"], needs)}
        return built, None

    def run_graph(self, mod, cell, variant):
        api = self.api
        graph = api.Graph()
        with graph.as_default():
            tfapi.set_seed(api, fdmath.SEED)
            built, failed = self.build(mod, api, cell, variant, "targets")
            if failed:
                return failed
            try:
                feed_dict = numeric.feeds(graph, built.get("feeds"),
                                          self.options.get("none_dim", numeric.NONE_SIZE))
            except numeric.FeedError as exc:
                return {"status": ERROR, "pairs": [], "detail": "{}: {}".format(cell["case"], exc)}
            sources = built.get("sources")
            if not sources:
                sources = dict((tfapi.variable_name(v), v) for v in api.trainable_variables())
            given, failed = self.given(built, sources, cell)
            if failed:
                return failed
            targets = dict((name, tfapi.flatten(t)) for name, t in built["targets"].items())
            clock = _Clock()
            pairs, recorded = [], {}
            for tname, ys in targets.items():
                recorder = evaluators.GradientRecorder(api, graph)
                group = sources  # a script's call: its own xs (sources_of)
                if tname in built.get("sources_of", {}):
                    group = dict((n, sources[n]) for n in built["sources_of"][tname])
                pairs.extend(self.gradients(tname, ys, group, recorder))
                for name, source in group.items():
                    found = recorder.lookup(source)
                    if found is not None:
                        recorded[(tname, name)] = found
            clock.lap("gradients")
            if self.options.get("breakpoint", True):
                try:
                    stoppoint.annotate(api, pairs, targets, sources)
                except Exception as exc:  # the search must never cost the cell its statuses
                    for pair in pairs:
                        if pair["status"] == NONE and "break_op" not in pair:
                            pair["detail"] = "break-point search failed: " + tferrors.error_text(exc)
                clock.lap("breakpoint")
            values = self.evaluate(pairs, lambda: evaluators.GraphEvaluator(
                api, graph, targets, sources, feed_dict, recorded, given))
            clock.lap("numeric")
        return {"status": OK, "detail": built.get("ended", ""), "pairs": pairs,
                "timings": clock.laps, "values": values}

    def run_eager(self, mod, cell, variant):
        tf = self.tf
        why = tfapi.eager_unsupported(tf)
        if why:
            return {"status": SKIPPED, "detail": why, "pairs": []}
        tfapi.set_seed(tf, fdmath.SEED)
        built, failed = self.build(mod, tf, cell, variant, "compute")
        if failed:
            return failed
        sources = built.get("sources") or {}
        clock = _Clock()
        sources = dict((n, tfapi.tf_variable(v)) for n, v in sources.items())
        with tf.GradientTape(persistent=True) as tape:
            for source in sources.values():
                if not tfapi.is_variable(source):
                    tape.watch(source)
            try:
                targets = built["compute"]()
            except Exception as exc:
                return tferrors.case_failure("compute() raised", exc, cell["path"])
        named = bool(sources)
        if not named:
            sources = dict((tfapi.variable_name(v), v) for v in tape.watched_variables()
                           if v.trainable)
        given, failed = self.given(built, sources, cell)
        if failed:
            return failed
        pairs = []
        for tname, value in targets.items():
            pairs.extend(self.gradients(tname, tfapi.flatten(value), sources, tape.gradient))
        clock.lap("gradients")
        chosen = points.eager_chosen(tf, mod.build, variant, sources, named) if self.options.get(
            "values", True) else set()
        values = self.evaluate(pairs, lambda: evaluators.EagerEvaluator(
            tf, built["compute"], sources, chosen, given))
        clock.lap("numeric")
        return {"status": OK, "detail": "", "pairs": pairs, "timings": clock.laps,
                "values": values}

    def given(self, built, sources, cell):
        """(the case's `values` by source, None) or (None, the cell's one-line error when they do
        not fit its sources)."""
        try:
            return points.given_values(built.get("values"), sources, tfapi.is_variable,
                                       tfapi.static_shape), None
        except points.PointError as exc:
            return None, {"status": ERROR, "pairs": [],
                          "detail": "{}: {}".format(cell["case"], exc)}

    def evaluate(self, pairs, make_evaluator):
        """The judging of a cell's grad pairs (numeric.judge); bench/faults.py plants its faults
        here."""
        return numeric.judge(pairs, make_evaluator, self.options)

    def gradients(self, tname, ys, sources, differentiate):
        """The pairs of one target: differentiate(ys, [sources]) is tf.gradients or tape.gradient."""
        names = list(sources)
        try:
            grads = differentiate(ys, [sources[n] for n in names])
        except Exception:
            grads = None
        out = []
        for i, name in enumerate(names):
            detail = ""
            if grads is not None:
                status, dtype, shape = tfapi.describe_gradient(grads[i])
            else:
                # The joint call failed: ask per source, so one failing source does not hide the rest.
                try:
                    status, dtype, shape = tfapi.describe_gradient(
                        differentiate(ys, [sources[name]])[0])
                except Exception as exc:
                    status, dtype, shape, detail = ERROR, "", "", tferrors.error_text(exc)
                    if tferrors.raised_by_harness(exc):
                        status, detail = HARNESS_ERROR, tferrors.harness_detail(
                            "taking the gradient", exc)
            out.append({"target": tname, "source": name, "status": status, "dtype": dtype,
                        "shape": shape, "detail": detail})
        return out

    def serve(self, job):
        try:
            self.tf, self.api = tfapi.load()
        except BaseException as exc:
            self.send({"type": "fatal", "detail": "importing TensorFlow failed: " + tferrors.error_text(exc)})
            return 3
        keras = envinfo.keras_in_play(self.tf)
        self.send(dict({"type": "hello", "devices": tfapi.devices(self.tf), "keras": keras},
                       **tfapi.versions(self.tf)))
        for cell in job["cells"]:
            self.send({"type": "start", "index": cell["index"]})
            t0 = time.time()
            try:
                result = self.run_cell(cell)
            except Exception as exc:  # the case's and TensorFlow's failures are caught inside
                result = {"status": HARNESS_ERROR, "pairs": [],
                          "detail": tferrors.harness_detail("running the cell", exc)}
            result["duration"] = round(time.time() - t0, 3)
            self.send({"type": "cell", "index": cell["index"], "result": result})
            now = envinfo.keras_in_play(self.tf)
            if now != keras:  # a case imported Keras: which one
                keras = now
                self.send({"type": "keras", "keras": keras})
        return 0


def main():
    fd = int(sys.argv[sys.argv.index("--fd") + 1])
    out = os.fdopen(fd, "wb", 0)
    job = json.loads(sys.stdin.read())
    return Worker(out, job.get("options")).serve(job)


if __name__ == "__main__":
    sys.exit(main())
