"""The result cache: a cell is run again only when one of its inputs changed.

Inside rules: Python 3.6+, standard library only, no imports from harness.host; TensorFlow is never
imported here. A cell's key is a hash of everything its result depends on:

- the case file's content (and that of the helper modules `_*.py` beside it, which discovery skips
  but a case may import), the case's name, mode and the cell's variant;
- the environment: its installed distributions (names and versions, read from their metadata, no
  import), the interpreter's version and the TF_*/KERAS_* environment variables;
- the harness's inside code (harness/inside/**/*.py, harness/schema.py, harness/__init__.py and
  __main__.py), not its git commit: host code and docs do not invalidate results;
- the options that change results (numeric check, values, break points, eps, tol, none_dim). Not --timeout:
  a cell that finished did so within any timeout; cells that timed out or crashed are always run
  again, and so are cells a worker could not start for.

Earlier results come from the environment's raw file and its `.partial` (an interrupted run).
"""
import glob
import hashlib
import json
import os
import platform
import sys
import time

from harness.inside.running import envinfo
from harness.inside.running.rawfile import PARTIAL, transient
from harness.schema import CRASH, RAW_KIND, SCHEMA_VERSION, TIMEOUT, harness_failed

HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# what a worker tells (TensorFlow's facts, the Keras a case imported on each line); carried over
# with the cells, so a run that starts no worker keeps them (the report's tf.keras column)
ENV_META = ("tf_version", "tf_git_version", "devices", "keras", "keras3")


def _digest(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def inside_hash(harness_dir=HARNESS_DIR):
    """Hash of the code that runs inside the environments (sorted by name, contents)."""
    names = sorted(os.path.relpath(p, harness_dir)
                   for pattern in ("*.py", os.path.join("*", "*.py"))
                   for p in glob.glob(os.path.join(harness_dir, "inside", pattern)))
    names += ["schema.py", "__init__.py", "__main__.py"]
    h = hashlib.sha256()
    for name in names:
        h.update(name.replace(os.sep, "/").encode("utf-8") + b"\0")
        with open(os.path.join(harness_dir, name), "rb") as fh:
            h.update(fh.read() + b"\0")
    return h.hexdigest()[:16]


def installed():
    """{normalised name: version} of the installed distributions, without importing any of them: the
    *.dist-info/*.egg-info names on sys.path (a directory listing; reading every METADATA file with
    importlib.metadata took 0.15 s of the 0.26 s of an unchanged run)."""
    return envinfo.packages()


def env_hash(packages=None, environ=None):
    """Hash of the environment's package set, interpreter and TensorFlow/Keras variables."""
    environ = os.environ if environ is None else environ
    return _digest({"packages": installed() if packages is None else packages,
                    "python": sys.version, "implementation": platform.python_implementation(),
                    "machine": platform.machine(),
                    "vars": dict((k, v) for k, v in environ.items()
                                 if k.startswith(("TF_", "KERAS_", "CUDA_VISIBLE_DEVICES")))})


def inputs(options, packages=None, environ=None, harness_dir=HARNESS_DIR):
    """The run-level inputs of every cell's key."""
    return {"schema": SCHEMA_VERSION, "inside": inside_hash(harness_dir),
            "env": env_hash(packages, environ), "options": dict(options)}


def file_hash(path):
    """Hash of a file's content; of its error when it cannot be read (then nothing matches it)."""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError as exc:
        return "unreadable: {}".format(exc)


def case_hash(path):
    """Hash of a case file and of the helper modules (_*.py) of its directory."""
    helpers = sorted(glob.glob(os.path.join(os.path.dirname(path), "_*.py")))
    return _digest([file_hash(path)] + [[os.path.basename(h), file_hash(h)] for h in helpers])


def cell_key(cell, case_sha, run_inputs):
    """The key of one planned cell (a dict of cli.plan)."""
    return _digest({"case": cell["case"], "case_sha": case_sha, "mode": cell.get("mode", "graph"),
                    "kind": cell.get("kind", "case"), "variant": cell["variant"],
                    "inputs": run_inputs})


def reusable(cell):
    """Whether a recorded cell may stand for a new run: it has a key and a result that is a fact
    (not a crash, a timeout or a failure of the harness's own code)."""
    return bool(cell.get("cache_key")) and cell.get("status") not in (CRASH, TIMEOUT) \
        and not transient(cell) and not harness_failed(cell)


def why_not(doc, run_inputs):
    """One line saying why none of an earlier document's cells can be reused, or ''."""
    if not isinstance(doc, dict) or doc.get("kind") != RAW_KIND:
        return "not a harness result file"
    if doc.get("env_status") or not doc.get("cells"):
        return ""  # nothing to reuse, nothing to explain
    if doc.get("schema") != SCHEMA_VERSION:
        return "written with raw schema {}, this harness writes {}".format(
            doc.get("schema"), SCHEMA_VERSION)
    old = (doc.get("run") or {}).get("cache") or {}
    if not old.get("inside"):
        return "written before the result cache (no cache keys)"
    if old["inside"] != run_inputs["inside"]:
        return "written by other harness inside code (inside hash {}, now {})".format(
            old["inside"], run_inputs["inside"])
    if old.get("env") != run_inputs["env"]:
        return "written with another package set or interpreter (environment hash {}, now {})".format(
            old.get("env"), run_inputs["env"])
    if old.get("options") != run_inputs["options"]:
        changed = sorted(k for k in set(old.get("options") or {}) | set(run_inputs["options"])
                         if (old.get("options") or {}).get(k) != run_inputs["options"].get(k))
        return "written with other run options ({})".format(", ".join(changed))
    return ""


def read(path):
    """(document, None), (None, None) for no file, or (None, why) for a file that cannot be read."""
    if not os.path.exists(path):
        return None, None
    try:
        with open(path, "rb") as fh:
            doc = json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        return None, "unreadable ({}: {})".format(type(exc).__name__, str(exc)[:120])
    if not isinstance(doc, dict) or doc.get("kind") != RAW_KIND or not isinstance(
            doc.get("cells"), list):
        return None, "unreadable (not a harness result file)"
    return doc, None


class Store(object):
    """Earlier cells of one environment, the cells of this run, and how they came to be."""

    def __init__(self, out_path, run_inputs, rerun=False):
        self.inputs = run_inputs
        self.rerun = rerun
        self.earlier = {}  # cache key -> cell
        self.meta = {}  # tf_version, tf_git_version, devices of an earlier run in this environment
        self.notes = []
        self.order, self.keys = {}, {}
        self.carried = self.recomputed = 0
        if rerun:
            self.notes.append("--rerun: every cell is run again")
        docs = []
        for path in (out_path, out_path + PARTIAL):
            doc, problem = read(path)
            if problem:
                self.notes.append("{}: {}: its cells are run again".format(path, problem))
            elif doc is not None:
                why = why_not(doc, run_inputs)
                if why:
                    self.notes.append("{}: {}: its cells are run again".format(path, why))
                else:
                    docs.append(doc)
        docs.sort(key=lambda d: (d.get("run") or {}).get("started") or "")
        for doc in docs:  # the newest wins
            self.earlier.update((c["cache_key"], c) for c in doc["cells"] if reusable(c))
            if (doc.get("env") or {}).get("tf_version"):
                self.meta = dict((k, doc["env"][k]) for k in ENV_META if k in doc["env"])

    def carry(self, doc, cells, env, chosen=lambda cell: True):
        """Put the reusable earlier results of `cells` into doc (in plan order); returns the chosen
        cells still to run (under --rerun, all chosen ones). A cell not chosen (--case picked
        others) keeps its earlier result if that still holds, else it is left out. With every cell
        carried over, env gets the earlier run's TensorFlow facts."""
        shas = {}
        todo = []
        for cell in cells:
            if cell["path"] not in shas:
                shas[cell["path"]] = case_hash(cell["path"])
            key = cell_key(cell, shas[cell["path"]], self.inputs)
            self.keys[cell["index"]] = key
            self.order[(cell["case"], cell["variant_label"])] = cell["index"]
            run = chosen(cell)
            old = None if (self.rerun and run) else self.earlier.get(key)
            if old is None:
                if run:
                    todo.append(cell)
                continue
            self.carried += 1
            self.insert(doc, dict(old, carried_over=True))
        if self.meta:
            env.update(self.meta)  # a worker that runs overwrites these with its own hello
        return todo

    def add(self, doc, cell, record):
        """A newly computed cell's record, stamped with its key and time, into doc in plan order."""
        record.update({"cache_key": self.keys.get(cell["index"], ""),
                       "ran": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        self.recomputed += 1
        self.insert(doc, record)

    def insert(self, doc, record):
        doc["cells"].append(record)
        doc["cells"].sort(key=lambda c: self.order.get((c["case"], c.get("variant_label", "")), -1))

    def summary(self):
        """The run's `cache` entry: this run's inputs (the next run compares them) and counts."""
        return dict(self.inputs, rerun=self.rerun, carried_over=self.carried,
                    recomputed=self.recomputed, notes=list(self.notes))
