"""Worker: imports TensorFlow once, runs the cells it is given, reports each as one JSON line.

Inside rules: Python 3.6+, standard library and TensorFlow only, no imports from harness.host.
Started by harness.inside.supervisor; reads its job as JSON on stdin and writes messages to the file
descriptor named by --fd (stdout and stderr belong to TensorFlow's logging).
"""
import importlib.util
import json
import os
import sys
import time
import traceback

from harness.inside import tfapi
from harness.schema import ERROR, SKIPPED


def _error_text(exc, path=None):
    """'Type: first line of message (file:line)' naming the case's own line when it has one."""
    msg = str(exc).strip().splitlines()
    text = "{}: {}".format(type(exc).__name__, msg[0] if msg else "")
    if len(text) > 800:
        text = text[:800] + "..."
    frames = traceback.extract_tb(exc.__traceback__)
    if path:
        own = [f for f in frames if os.path.abspath(f.filename) == os.path.abspath(path)]
        if own:
            text += " ({}:{})".format(os.path.basename(path), own[-1].lineno)
    return text


class Worker(object):
    def __init__(self, out):
        self.out = out
        self.modules = {}
        self.tf = self.api = None

    def send(self, message):
        self.out.write((json.dumps(message) + "\n").encode("utf-8"))
        self.out.flush()

    def module(self, name, path):
        """The case module, imported once per worker; an import failure is remembered."""
        if name not in self.modules:
            try:
                spec = importlib.util.spec_from_file_location("harness_case_" + name, path)
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                self.modules[name] = (mod, None)
            except BaseException as exc:  # a case may raise anything, SystemExit included
                self.modules[name] = (None, "import failed: " + _error_text(exc, path))
        return self.modules[name]

    def run_cell(self, cell):
        mod, problem = self.module(cell["case"], cell["path"])
        if problem:
            return {"status": ERROR, "detail": problem, "pairs": []}
        api = self.api
        variant = dict((axis, value) for axis, value in cell["variant"])
        with api.Graph().as_default():
            try:
                built = mod.build(api, **variant)
            except BaseException as exc:
                return {"status": ERROR, "detail": "build() raised " + _error_text(exc, cell["path"]),
                        "pairs": []}
            if isinstance(built, dict) and built.get("skip"):
                return {"status": SKIPPED, "detail": str(built["skip"]), "pairs": []}
            if not isinstance(built, dict) or not built.get("targets"):
                return {"status": ERROR, "pairs": [],
                        "detail": "{}: build() returned no 'targets'".format(cell["path"])}
            sources = built.get("sources")
            if not sources:
                sources = dict((tfapi.variable_name(v), v) for v in api.trainable_variables())
            pairs = []
            for tname, target in built["targets"].items():
                pairs.extend(self.gradients(tname, target, sources))
        return {"status": "ok", "detail": "", "pairs": pairs}

    def gradients(self, tname, target, sources):
        names = list(sources)
        ys = tfapi.flatten(target)
        try:
            grads = self.api.gradients(ys, [sources[n] for n in names])
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
                        self.api.gradients(ys, [sources[name]])[0])
                except Exception as exc:
                    status, dtype, shape, detail = ERROR, "", "", _error_text(exc)
            out.append({"target": tname, "source": name, "status": status, "dtype": dtype,
                        "shape": shape, "detail": detail})
        return out

    def serve(self, job):
        try:
            self.tf, self.api = tfapi.load(job.get("mode", "graph"))
        except BaseException as exc:
            self.send({"type": "fatal", "detail": "importing TensorFlow failed: " + _error_text(exc)})
            return 3
        self.send(dict({"type": "hello"}, **tfapi.versions(self.tf)))
        for cell in job["cells"]:
            self.send({"type": "start", "index": cell["index"]})
            t0 = time.time()
            result = self.run_cell(cell)
            result["duration"] = round(time.time() - t0, 3)
            self.send({"type": "cell", "index": cell["index"], "result": result})
        return 0


def main():
    fd = int(sys.argv[sys.argv.index("--fd") + 1])
    out = os.fdopen(fd, "wb", 0)
    job = json.loads(sys.stdin.read())
    return Worker(out).serve(job)


if __name__ == "__main__":
    sys.exit(main())
