"""`python -m harness run`: the runner inside one TensorFlow environment.

Inside rules: Python 3.6+, standard library only here (TensorFlow is imported by the worker only),
no imports from harness.host.
"""
import argparse
import datetime
import os
import sys
import time

import harness
from harness.inside.sources import cases as caselib
from harness.inside.sources import callsites
from harness.inside.judging import numeric
from harness.inside.running import cache, envinfo, rawfile, supervisor
from harness.schema import CRASH, ERROR, HARNESS_ERROR, OK, TIMEOUT, harness_failed

DEFAULT_TIMEOUT = 600.0
KERAS3, KERAS3_ENV = caselib.KERAS3, caselib.KERAS3_ENV
FAILED_CELL = (ERROR, CRASH, TIMEOUT, HARNESS_ERROR)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m harness run",
                                description="Run every case x variant in this TensorFlow environment.")
    p.add_argument("--cases", default="cases", help="directory of case files (default: cases)")
    p.add_argument("--case", action="append", nargs="+", default=[], metavar="NAME",
                   help="run only these cases (repeatable)")
    p.add_argument("--script", default=None, metavar="PATH",
                   help="run this script as it is, instead of case files, recording every "
                        "gradient call it makes (default --out: results/scripts/NAME/raw)")
    p.add_argument("--no-compat", dest="compat", action="store_false",
                   help="with --script on TF 2.x: run a graph script on TF 2.x's own API, not on "
                        "tf.compat.v1 with disable_v2_behavior()")
    p.add_argument("--out", default=None,
                   help="directory for this environment's raw JSON (default: results/raw)")
    p.add_argument("--all-variants", action="store_true",
                   help="the full product of every case's variant axes, not just one-axis changes")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help="seconds one cell may take before it is stopped (default: %(default)g)")
    p.add_argument("--no-numeric", dest="numeric", action="store_false",
                   help="skip the numeric check of present gradients against finite differences")
    p.add_argument("--no-values", dest="values", action="store_false",
                   help="evaluate no gradient: no value fingerprints, no NaN/Inf check, no "
                        "numeric check (statuses from tf.gradients alone)")
    p.add_argument("--no-breakpoint", dest="breakpoint", action="store_false",
                   help="skip the search for the op where backprop stops for None gradients")
    p.add_argument("--numeric-eps", type=float, default=numeric.DEFAULT_EPS, metavar="EPS",
                   help="finite-difference step, relative to the source's RMS (default: %(default)g)")
    p.add_argument("--numeric-tol", type=float, default=numeric.DEFAULT_TOL, metavar="TOL",
                   help="relative error a mismatch must also exceed, beyond 4 estimated errors of "
                        "the finite differences (default: %(default)g)")
    p.add_argument("--none-dim", type=_positive_int, default=numeric.NONE_SIZE, metavar="N",
                   help="size given to the None dimensions of placeholders the case does not feed "
                        "(default: %(default)s); a case that reshapes to a fixed batch needs it")
    p.add_argument("--no-keras3", dest="keras3", action="store_false",
                   help="on TF >= 2.16, run cases that use Keras with the environment's Keras only "
                        "(tf-keras where TF_USE_LEGACY_KERAS=1), not also with Keras 3")
    p.add_argument("--rerun", action="store_true",
                   help="run every cell again, ignoring the results of earlier runs (the cache)")
    p.add_argument("--env-name", default=None,
                   help="name of the result file (default: tox's environment name, else tf-VERSION)")
    args = p.parse_args(argv)
    if args.script and (args.case or args.cases != "cases"):
        p.error("--script runs one script instead of case files: drop --cases / --case")
    if args.out is None:
        args.out = script_out(args.script) if args.script else os.path.join("results", "raw")
    return args


def script_out(path):
    """Where a script's raw files go by default: results/scripts/NAME/raw."""
    return os.path.join("results", "scripts", os.path.splitext(os.path.basename(path))[0], "raw")


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("{!r}: must be a whole number >= 1".format(text))
    return value


def _now():
    return datetime.datetime.utcnow().replace(microsecond=0).isoformat() + "Z"


def _say(text):
    sys.stderr.write("harness: " + text + "\n")
    sys.stderr.flush()


def _options(args):
    """What the worker is told to do beyond tf.gradients."""
    out = {"numeric": args.numeric, "values": args.values, "breakpoint": args.breakpoint,
           "eps": args.numeric_eps, "tol": args.numeric_tol, "none_dim": args.none_dim}
    if args.script and not args.compat:
        out["compat"] = False
    return out


def keras3_line(env):
    """Whether this environment also runs the Keras 3 line: TensorFlow >= 2.16 with Keras 3
    installed (what `pip install tensorflow` gives), where the environment itself may run tf-keras
    (TF_USE_LEGACY_KERAS=1)."""
    pkgs = env.get("packages", {})
    tf_version = pkgs.get(env.get("tf_package", ""), "")
    keras = pkgs.get("keras") or pkgs.get("keras-nightly") or ""
    return _release(tf_version) >= (2, 16) and _release(keras) >= (3,)


def _release(version):
    """'2.23.0.dev20261026' -> (2, 23, 0); '' -> ()."""
    out = []
    for part in version.split(".")[:3]:
        if not part.isdigit():
            break
        out.append(int(part))
    return tuple(out)


def plan(specs, all_variants, keras3=False):
    """The cells to run, in case order, each with a stable index. keras3: each cell of a case that
    uses Keras gets a twin on the Keras 3 line, its variant ending in keras=3 (KERAS3)."""
    cells = []
    for spec in specs:
        for variant in spec.variants(all_variants):
            lines = [list(variant)] + ([list(variant) + [KERAS3]] if keras3 and spec.keras else [])
            for line in lines:
                cells.append({"index": len(cells), "case": spec.name,
                              "path": os.path.abspath(spec.path), "mode": spec.mode,
                              "variant": [list(pair) for pair in line],
                              "variant_label": caselib.variant_label(line)})
                if spec.kind != "case":
                    cells[-1]["kind"] = spec.kind
    return cells


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    names = [n for group in args.case for n in group]
    if args.script:
        specs, problems = ([callsites.inspect(args.script)], []) if os.path.isfile(args.script) \
            else ([], ["{}: no such script".format(args.script)])
    else:
        specs, problems = caselib.discover(args.cases, names)
    for problem in problems:
        _say(problem)
    broken = [s for s in specs if s.problem]
    runnable = [s for s in specs if not s.problem]
    for spec in broken:
        _say(spec.problem)
    if not specs:
        return 2

    env = envinfo.collect()
    env_name = (args.env_name or os.environ.get("TOX_ENV_NAME")
                or "tf-" + env["packages"].get(env["tf_package"], "unknown"))
    out_path = os.path.join(args.out, env_name + ".json")
    log_path = os.path.join(args.out, env_name + ".log")
    # exist_ok: under tox -p several environments create the same directory at once
    os.makedirs(args.out, exist_ok=True)
    store = cache.Store(out_path, cache.inputs(_options(args)), rerun=args.rerun)
    for note in store.notes:
        _say("{}: {}".format(env_name, note))
    writer = rawfile.Writer(out_path)
    everything = runnable
    if names:  # --case X reruns X; the other cases' results stay where their inputs still hold
        everything = [s for s in caselib.discover(args.cases)[0] if not s.problem]
    chosen = set(s.name for s in runnable)
    doc = rawfile.new(env_name, env, {
        "harness_version": harness.__version__, "harness_commit": envinfo.git_commit(),
        "host": envinfo.host(), "argv": ["run"] + list(argv or sys.argv[1:]),
        "cases_dir": os.path.abspath(args.cases), "timeout": args.timeout,
        "script": os.path.abspath(args.script) if args.script else None,
        "all_variants": args.all_variants, "options": _options(args), "started": _now(),
        "cases": caselib.describe(everything), "cache": store.summary()})
    doc["problems"] = problems
    for spec in broken:
        doc["cells"].append({"case": spec.name, "case_file": spec.path, "variant": [],
                             "variant_label": "", "status": ERROR, "detail": spec.problem,
                             "pairs": [], "duration": 0.0})
    keras3 = args.keras3 and keras3_line(env)
    todo = store.carry(doc, plan(everything, args.all_variants, keras3), env,
                       chosen=lambda cell: cell["case"] in chosen)
    if store.carried:
        _say("{}: {} cell{} carried over from earlier runs (inputs unchanged), {} to run".format(
            env_name, store.carried, "" if store.carried == 1 else "s", len(todo)))
    if todo:  # the carried-over cells on disk before the first worker starts
        if os.path.exists(log_path):
            os.unlink(log_path)  # the log is the output of the last run that started a worker
        writer.write(doc)

    t0 = time.time()
    by_mode = {}
    for cell in todo:
        by_mode.setdefault(cell["mode"], []).append(cell)

    def on_hello(msg, line="keras"):
        """A worker's hello (TensorFlow's versions, devices, Keras switches), or the Keras a case
        imported (a 'keras' message): recorded in the raw file's env, the Keras 3 line's Keras
        under 'keras3'."""
        if msg.get("type") == "hello":
            env.update({"tf_version": msg.get("tf_version", ""),
                        "tf_git_version": msg.get("tf_git_version", ""),
                        "devices": msg.get("devices", [])})
        if msg.get("keras"):
            env[line] = dict(env.get(line) or {}, **msg["keras"])
        writer.write(doc)

    def on_result(cell, result):
        record = {"case": cell["case"], "case_file": os.path.relpath(cell["path"]),
                  "variant": cell["variant"], "variant_label": cell["variant_label"]}
        if cell.get("kind"):
            record["kind"] = cell["kind"]
        record.update(result)
        store.add(doc, cell, record)
        writer.write(doc)
        status = result["status"]
        if status == OK:
            counts = {}
            for pair in result["pairs"]:
                counts[pair["status"]] = counts.get(pair["status"], 0) + 1
            status = " ".join("{}={}".format(k, v) for k, v in sorted(counts.items()))
        _say("{} {} [{}] {} ({:.1f}s)".format(env_name, cell["case"], cell["variant_label"], status,
                                              result.get("duration", 0.0)))
        if result["status"] in FAILED_CELL:
            _say("{} {} [{}]: {}".format(env_name, cell["case"], cell["variant_label"],
                                         result["detail"]))
        for pair in result["pairs"]:
            if pair["status"] == HARNESS_ERROR:
                _say("{} {} [{}] d {} / d {}: {}".format(env_name, cell["case"],
                                                          cell["variant_label"], pair["target"],
                                                          pair["source"], pair["detail"]))

    # One worker for graph and eager cells alike (graph cells first, as the raw file lists them);
    # on 1.x the worker records eager cells skipped. The Keras 3 line's cells run in a worker of
    # their own: which Keras tf.keras is gets fixed when TensorFlow is imported.
    ordered = [c for m in sorted(by_mode, key=lambda m: m != "graph") for c in by_mode[m]]
    on_k3 = [c for c in ordered if KERAS3 in [tuple(p) for p in c["variant"]]]
    ordered = [c for c in ordered if c not in on_k3]
    workers = supervisor.run_cells(ordered, args.timeout, log_path, on_hello, on_result,
                                   options=_options(args)) if ordered else 0
    workers += supervisor.run_cells(on_k3, args.timeout, log_path,
                                    lambda msg: on_hello(msg, "keras3"), on_result,
                                    options=_options(args), env=KERAS3_ENV) if on_k3 else 0
    doc["complete"] = True
    doc["run"].update({"finished": _now(), "duration": round(time.time() - t0, 3),
                       "workers": workers, "cache": store.summary()})
    writer.write(doc)
    _say("wrote {} ({} cells, {} carried over, {} worker{})".format(
        out_path, len(doc["cells"]), store.carried, workers, "" if workers == 1 else "s"))
    failed = [c for c in doc["cells"] if c["status"] in FAILED_CELL or harness_failed(c)]
    if not runnable:
        return 2
    return 1 if failed or problems else 0
