"""The work floor of a matrix in one TensorFlow environment: what any tool must do, and no more.

One process (run it with the environment's own python) that imports TensorFlow once, then for each
cell (case x variant, the same default plan as `python -m harness run`: the default configuration
plus every one-axis change, or --all-variants) builds the case's graph in a fresh graph through the
case's build() contract and calls tf.gradients once per target w.r.t. the case's sources (default:
every trainable variable). With --session it also does what the harness's symbolic mode
(`--no-numeric --no-breakpoint`, values still evaluated) cannot avoid: one session per cell that
initialises the variables and evaluates the targets and the present gradients once, at fed values.

No harness runner, no supervisor, no result file: standard library and TensorFlow only (numpy, which
every TensorFlow depends on, for the fed values), Python 3.6+. The case plan is read from the case
file with `ast` (VARIANTS and MODE literals), as harness.inside.sources.cases does. Eager cases (MODE =
"eager") are not part of any floor the benchmark measures; they are listed as skipped.

    .tox/tf221/bin/python bench/work_floor.py [--cases DIR] [--case NAME ...] [--session] [--json]

Prints one JSON object: the TensorFlow version, import seconds, per-cell seconds and counts.
"""
import argparse
import ast
import importlib.util
import itertools
import json
import os
import sys
import time


def read_spec(path):
    """(VARIANTS axes as [(axis, [values])], MODE) of a case file, without importing it."""
    with open(path, "rb") as fh:
        tree = ast.parse(fh.read(), filename=path)
    axes, mode = [], "graph"
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "VARIANTS":
                    axes = [(str(k), list(v)) for k, v in ast.literal_eval(node.value).items()]
                elif isinstance(target, ast.Name) and target.id == "MODE":
                    mode = ast.literal_eval(node.value)
    return axes, mode


def variants(axes, all_variants=False):
    """The default configuration plus every one-axis change from it (the harness's default plan)."""
    if not axes:
        return [[]]
    names = [axis for axis, _ in axes]
    if all_variants:
        return [list(zip(names, combo)) for combo in itertools.product(*[v for _, v in axes])]
    default = [(axis, values[0]) for axis, values in axes]
    out = [default]
    for i, (axis, values) in enumerate(axes):
        for value in values[1:]:
            variant = list(default)
            variant[i] = (axis, value)
            out.append(variant)
    return out


def case_files(cases_dir, names):
    files = sorted(f for f in os.listdir(cases_dir)
                   if f.endswith(".py") and not f.startswith(("_", ".")))
    if names:
        wanted = [n[:-3] if n.endswith(".py") else n for n in names]
        missing = [n for n in wanted if n + ".py" not in files]
        if missing:
            raise SystemExit("work_floor: no such case in {}: {}".format(
                cases_dir, ", ".join(missing)))
        files = [n + ".py" for n in wanted]
    return [(f[:-3], os.path.join(cases_dir, f)) for f in files]


def flatten(value):
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in flatten(item)]
    return [value]


def fed_values(api, graph, given):
    """The case's own feeds plus a value for every other placeholder (None dimensions: 2)."""
    import numpy as np
    feeds = dict(given or {})
    for op in graph.get_operations():
        if op.type != "Placeholder":
            continue
        ph = op.outputs[0]
        if ph in feeds:
            continue
        dims = ph.shape.as_list() if ph.shape.dims is not None else [2]
        shape = [2 if d is None else d for d in dims]
        dtype = ph.dtype.base_dtype
        if dtype.is_bool:
            feeds[ph] = np.ones(shape, dtype=bool)
        elif dtype.is_integer:
            feeds[ph] = np.ones(shape, dtype=dtype.as_numpy_dtype)
        elif dtype.is_floating:
            feeds[ph] = np.random.RandomState(0).standard_normal(shape).astype(dtype.as_numpy_dtype)
    return feeds


def control_flow_state():
    try:
        from tensorflow.python.ops import control_flow_util
    except ImportError:
        return None
    return getattr(control_flow_util, "ENABLE_CONTROL_FLOW_V2", None)


def restore_control_flow(state):
    if state is not None:
        from tensorflow.python.ops import control_flow_util
        control_flow_util.ENABLE_CONTROL_FLOW_V2 = state


def run_cell(api, module, variant, session):
    """'ok', 'skip' or 'error: ...' for one graph cell, and the number of tf.gradients calls."""
    graph = api.Graph()
    calls = 0
    with graph.as_default():
        api.set_random_seed(0)
        built = module.build(api, **dict(variant))
        if built.get("skip"):
            return "skip", calls
        sources = built.get("sources") or dict((v.op.name, v) for v in api.trainable_variables())
        xs = list(sources.values())
        fetches = []
        for target in built["targets"].values():
            ys = flatten(target)
            grads = api.gradients(ys, xs)
            calls += 1
            fetches.extend(ys + [g for g in grads if g is not None])
        if session:
            with api.Session(graph=graph) as sess:
                sess.run(api.global_variables_initializer())
                sess.run(fetches, feed_dict=fed_values(api, graph, built.get("feeds")))
    return "ok", calls


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", default="cases", help="directory of case files (default: cases)")
    p.add_argument("--case", action="append", default=[], metavar="NAME", help="only these cases")
    p.add_argument("--all-variants", action="store_true", help="the full product of the axes")
    p.add_argument("--session", action="store_true",
                   help="also evaluate targets and present gradients once per cell in a session")
    args = p.parse_args(argv)
    plan = []
    for name, path in case_files(args.cases, args.case):
        axes, mode = read_spec(path)
        for variant in variants(axes, args.all_variants):
            plan.append((name, path, mode, variant))

    t0 = time.time()
    import tensorflow as tf
    api = tf
    if int(tf.__version__.split(".")[0]) >= 2:
        api = tf.compat.v1
        api.disable_eager_execution()
    import_s = time.time() - t0

    modules, cells = {}, []
    for name, path, mode, variant in plan:
        label = ",".join("{}={}".format(a, v) for a, v in variant)
        if mode != "graph":
            cells.append({"case": name, "variant": label, "status": "skip: eager", "seconds": 0.0})
            continue
        if name not in modules:
            spec = importlib.util.spec_from_file_location("floor_case_" + name, path)
            modules[name] = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(modules[name])
        state = control_flow_state()
        c0 = time.time()
        try:
            status, calls = run_cell(api, modules[name], variant, args.session)
        except Exception as exc:  # a cell that fails still counts its time; the floor goes on
            status, calls = "error: {}: {}".format(type(exc).__name__, str(exc).splitlines()[:1]), 0
        finally:
            restore_control_flow(state)
        cells.append({"case": name, "variant": label, "status": status, "gradients_calls": calls,
                      "seconds": round(time.time() - c0, 3)})
    print(json.dumps({"tf_version": tf.__version__, "import_s": round(import_s, 3),
                      "session": args.session, "cells": cells,
                      "total_s": round(time.time() - t0, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
