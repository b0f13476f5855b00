"""The power of the numeric check: wrong gradients planted where the harness receives TensorFlow's,
one fault at a time, and the verdict each gets.

    python bench/faults.py [--envs tf18,tf221] [--cases DIR ...] [--json OUT.json]

On the host, for each tox environment (it must exist: `tox -e ENV --notest`), runs this file with the
environment's own Python (`--inside`), which builds every case's default cell once and evaluates it
with the unmodified gradients and then with each fault below, every `grad` pair of the cell
faulted at once: the gradient values every evaluation returns (tf.gradients' own and the projected
ones of the check) are replaced, nothing else. A fault is caught when the pair's verdict is no longer
`grad`. The table gives, per kind and size, the share caught among the pairs the check could test
(baseline `grad` with a numeric verdict; pairs without one, e.g. integer sources or
non-deterministic cells, are counted apart), the pairs missed, and the false alarms: pairs the check
calls wrong with nothing planted.

Faults (d = size): `scale` the whole gradient times (1 + d); `element` one element off by d times
the gradient's scale (its largest magnitude); `sign` one substantial element's sign flipped
(|g_i| >= 0.1 of the scale); `zero_element` that element zeroed; `zero_source` the whole gradient
zero; `swap_elements` two substantial elements that differ swapped; `swap_sources` the gradients of
two sources of one shape swapped; `point` the gradient at a nearby point (every source moved by d
times its RMS along a fixed random direction); `nan` / `inf` one element NaN / Inf.

Inside the environment only the standard library, numpy and TensorFlow are used (Python 3.6+).
"""
import argparse
import copy
import json
import os
import subprocess
import sys
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the harness whose check is measured: the checkout's, or another commit's (--against)
sys.path.insert(0, os.environ.get("HARNESS_FAULTS_ROOT") or ROOT)
DEFAULT_CASES = ["cases", os.path.join("cases", "known"), os.path.join("tests", "cases_verdicts"),
                 os.path.join("tests", "cases_diag"), os.path.join("tests", "cases_explicit"),
                 os.path.join("tests", "cases_oneimport")]
SIZES = (1e-1, 1e-2, 1e-3)
SLOW = 6.0  # seconds: a cell whose plain evaluation takes longer gets no faults (said in the table)
FAULTS = ([("scale", d) for d in SIZES] + [("element", d) for d in SIZES]
          + [("point", d) for d in SIZES]
          + [(kind, None) for kind in ("sign", "zero_element", "zero_source", "swap_elements",
                                        "swap_sources", "nan", "inf")])


def fault_name(kind, size):
    return kind if size is None else "{}:{:g}".format(kind, size)


# ---- inside a TensorFlow environment -------------------------------------------------------------

def _pick(name, count, k=1):
    """k distinct positions of `count`, fixed by a name."""
    import numpy as np
    r = np.random.RandomState(zlib.crc32(name.encode("utf-8")) % (2 ** 32))
    return list(r.permutation(count)[:k])


def _substantial(g, name, k):
    """k positions of elements with |g_i| >= 0.1 of the scale, fixed by name; [] if too few."""
    import numpy as np
    flat = np.abs(g.reshape(-1))
    scale = float(flat.max()) if flat.size else 0.0
    big = np.nonzero(flat >= 0.1 * scale)[0] if scale > 0 else np.zeros(0, int)
    if len(big) < k:
        return []
    return [int(big[i]) for i in _pick(name, len(big), k)]


def apply(kind, size, g, key, others):
    """The faulted copy of one gradient value (None: the fault does not apply to it)."""
    import numpy as np
    g = np.array(g, dtype=np.asarray(g).dtype, copy=True)
    if not np.issubdtype(g.dtype, np.floating) or g.size == 0:
        return None
    flat = g.reshape(-1)
    scale = float(np.abs(flat).max()) or 1.0
    name = "/".join(key)
    if kind == "scale":
        return g * (1 + size)
    if kind == "element":
        flat[_pick(name, flat.size)[0]] += size * scale
        return g
    if kind in ("sign", "zero_element", "nan", "inf"):
        at = _substantial(g, name, 1)
        if not at:
            return None
        flat[at[0]] = {"sign": -flat[at[0]], "zero_element": 0.0, "nan": np.nan,
                       "inf": np.inf}[kind]
        return g
    if kind == "zero_source":
        return np.zeros_like(g) if np.any(g) else None
    if kind == "swap_elements":
        at = _substantial(g, name, 2)
        if not at or abs(float(flat[at[0]] - flat[at[1]])) < 0.1 * scale:
            return None
        flat[at[0]], flat[at[1]] = flat[at[1]], flat[at[0]]
        return g
    if kind == "swap_sources":
        partner = others.get(key)
        return None if partner is None else np.array(partner, copy=True)
    raise ValueError(kind)


class Faulty(object):
    """An evaluator whose gradients are wrong in one planted way; everything else passes through."""

    def __init__(self, inner, kind, size, sources):
        self.inner, self.kind, self.size, self.sources = inner, kind, size, sources
        self.reached, self.spared = set(), set()

    @property
    def applied(self):
        """Pairs the fault reached in every gradient the harness received for them. A swap or a
        sign fault can apply to tf.gradients' own gradient and not to the check's projected one
        (the picked elements differ too little there): such a pair was never tested."""
        return self.reached - self.spared

    def _mark(self, key, faulted):
        (self.reached if faulted else self.spared).add(key)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def gradients(self, projections, pairs):
        import numpy as np
        if self.kind == "point":
            moved = [s for s in self.sources if not self.inner.unperturbable(s)]
            try:
                for s in moved:
                    s0 = np.asarray(self.inner.get(s))
                    rms = float(np.sqrt(np.mean(np.square(s0.astype("float64"))))) or 1.0
                    step = _direction(s, s0.shape) * self.size * rms
                    self.inner.set(s, (s0 + step).astype(s0.dtype))
                got = self.inner.gradients(projections, pairs)
            finally:
                for s in moved:
                    self.inner.reset(s)
            own = self.inner.gradients(projections, pairs)
            # a gradient that hardly depends on the point (linear in the source) is not faulted
            for k in got:
                self._mark(k, _changed(own[k], got[k], 0.1 * self.size))
            return got
        got = self.inner.gradients(projections, pairs)
        others = {}
        if self.kind == "swap_sources":
            keys = list(got)
            for k in keys:
                mates = [m for m in keys if m != k and m[0] == k[0]
                         and np.shape(got[m]) == np.shape(got[k]) and not np.array_equal(got[m], got[k])]
                if mates:
                    others[k] = got[mates[0]]
        out = {}
        for k, v in got.items():
            faulted = apply(self.kind, self.size, v, k, others)
            self._mark(k, faulted is not None and _changed(v, faulted, 0.0))
            out[k] = v if faulted is None else faulted
        return out


def _changed(before, after, least):
    """Whether a fault changed a gradient by more than `least` of its scale (and at all)."""
    import numpy as np
    before, after = np.asarray(before, dtype="float64"), np.asarray(after, dtype="float64")
    if before.shape != after.shape:
        return True
    if np.array_equal(before, after):
        return False
    scale = float(np.abs(before[np.isfinite(before)]).max()) if np.isfinite(before).any() else 0.0
    moved = np.abs(np.where(np.isfinite(after) & np.isfinite(before), after - before, np.inf))
    return bool(float(moved.max()) > least * (scale or 1.0))


def _direction(name, shape):
    import numpy as np
    r = np.random.RandomState(zlib.crc32(("point/" + name).encode("utf-8")) % (2 ** 32))
    d = r.standard_normal(shape)
    return d / (np.sqrt(np.mean(np.square(d))) or 1.0)


def inside(case_dirs, out_path, eps=None, probes=None):
    from harness.inside import tfapi
    try:
        from harness.inside.judging import numeric
        from harness.inside.running import worker
        from harness.inside.sources import cases as caselib
    except ImportError:  # --against a commit before harness/inside had rooms (e.g. 007138d)
        from harness.inside import cases as caselib, numeric, worker
    if probes is not None:
        from harness.inside.judging import fdcheck
        fdcheck.MAX_BLOCKS = probes

    class Bench(worker.Worker):
        def evaluate(self, pairs, make_evaluator):
            evaluator = make_evaluator()
            try:
                base = copy.deepcopy(pairs)
                t0 = time.time()
                numeric.evaluate(base, evaluator, self.options)
                self.found = {"baseline": _statuses(base, None)}
                if time.time() - t0 > SLOW:  # a few minutes in all: such a cell is left out
                    self.found["slow"] = round(time.time() - t0, 1)
                    return {}
                sources = sorted(set(p["source"] for p in pairs))
                for kind, size in FAULTS:
                    faulted = copy.deepcopy(pairs)
                    wrapped = Faulty(evaluator, kind, size, sources)
                    try:
                        numeric.evaluate(faulted, wrapped, self.options)
                    except Exception as exc:  # noqa: BLE001 - recorded, as the worker would
                        for p in faulted:
                            p["status"], p["detail"] = "check_failed", repr(exc)
                    self.found[fault_name(kind, size)] = _statuses(faulted, wrapped.applied)
            finally:
                evaluator.close()
            return {}

    tf, api = tfapi.load()
    options = {"numeric": True, "values": True, "breakpoint": False}
    if eps is not None:
        options["eps"] = eps
    bench = Bench(None, options)
    bench.tf, bench.api = tf, api
    cells = []
    for folder in case_dirs:
        specs, _ = caselib.discover(folder, [])
        for spec in specs:
            if spec.problem:
                continue
            variant = spec.variants(False)[0]
            cell = {"index": 0, "case": spec.name, "path": os.path.abspath(spec.path),
                    "mode": spec.mode, "variant": [list(p) for p in variant],
                    "variant_label": caselib.variant_label(variant)}
            bench.found = None
            t0 = time.time()
            try:
                bench.run_cell(cell)
            except Exception as exc:  # noqa: BLE001
                sys.stderr.write("{}: {}\n".format(spec.name, exc))
            if bench.found:
                cells.append({"folder": os.path.relpath(folder, ROOT), "case": spec.name, "mode": spec.mode,
                              "seconds": round(time.time() - t0, 2), "faults": bench.found})
    versions = tfapi.versions(tf)
    with open(out_path, "w") as fh:
        json.dump({"tf_version": versions["tf_version"], "cells": cells}, fh)


def _size(shape):
    """Elements of a pair's recorded shape ('[96, 128]'); None when unknown."""
    try:
        dims = json.loads(shape) if isinstance(shape, str) else shape
        size = 1
        for d in dims:
            size *= int(d)
        return size
    except (TypeError, ValueError):
        return None


def _statuses(pairs, applied):
    out = []
    for p in pairs:
        numeric = p.get("numeric") or {}
        out.append({"target": p["target"], "source": p["source"], "status": p["status"],
                    "size": _size(p.get("shape")),
                    "checked": bool(numeric.get("checked")) and not numeric.get("inconclusive"),
                    "applied": applied is None or (p["target"], p["source"]) in applied,
                    "detail": str(p.get("detail", ""))[:160],
                    "z": numeric.get("z"), "resolution": numeric.get("resolution"),
                    "pooled_z": numeric.get("pooled_z"), "why": numeric.get("why")})
    return out


# ---- on the host ----------------------------------------------------------------------------------

LARGE = 1024  # the goal is stated for sources up to this many elements


# Gradients that are truly wrong with nothing planted, so the check must call them so: documented
# TensorFlow bugs of the corpus and the tests' own planted custom gradients. Any other pair the check
# calls wrong at baseline is a false alarm.
KNOWN_WRONG = {
    ("cumprod_zero", "c", "s"): "cases/known: tf.math.cumprod's gradient is zero at a zero (2.5 - 2.21)",
    ("missing_component", "y", "x"): "tests/cases_verdicts: a gradient missing two elements (2.x)",
    ("custom_grads", "doubled", "w"): "tests/cases_diag: a custom gradient twice the true one",
    ("custom_grads", "zeroed", "w"): "tests/cases_diag: a custom gradient of zeros",
    ("bessel_i1_zero_eager", "i1", "x"): "cases/known: tf.math.bessel_i1's gradient at 0 is 1, "
                                         "the true 0.5 (2.3 - 2.21)",
}


def table(results, large=False):
    """Rows (release, fault, caught, testable, missed examples, missed with no verdict) and false
    alarms per release, over the sources of up to LARGE elements (large=True: over the larger
    ones). A miss with no verdict is a `grad` that says the check could not tell (the fault lies
    within what the finite differences show there); the others are conclusive `grad`s."""
    rows, alarms = [], []
    for res in results:
        cells = res["cells"]
        for cell in cells:
            for p in cell["faults"]["baseline"]:
                if p["status"] in ("mismatch", "zero") and p["checked"] and (
                        cell["case"], p["target"], p["source"]) not in KNOWN_WRONG:
                    alarms.append((res["tf_version"], cell["case"], p["target"], p["source"],
                                   p["status"], p["detail"]))
        for kind, size in FAULTS:
            name = fault_name(kind, size)
            caught = testable = doubted = 0
            missed = []
            for cell in cells:
                base = {(p["target"], p["source"]): p for p in cell["faults"]["baseline"]}
                for p in cell["faults"].get(name, []):
                    b = base.get((p["target"], p["source"]))
                    if not b or b["status"] != "grad" or not b["checked"] or not p["applied"]:
                        continue
                    if (p.get("size") or 0) > LARGE and not large or (
                            large and (p.get("size") or 0) <= LARGE):
                        continue
                    testable += 1
                    if p["status"] != "grad":
                        caught += 1
                    else:
                        doubted += not p["checked"]
                        missed.append("{} {}/{}{}".format(cell["case"], p["target"], p["source"],
                                                          "" if p["checked"] else " (no verdict)"))
            rows.append((res["tf_version"], name, caught, testable, missed, doubted))
    return rows, alarms


def _share(caught, testable, doubted=0):
    if not testable:
        return "-"
    return "{:.0f}% ({} of {}{})".format(100.0 * caught / testable, caught, testable,
                                         "; {} no verdict".format(doubted) if doubted else "")


def _run(env, code_root, args, tag):
    """This file's inside part in one environment, importing the harness from code_root."""
    from harness.host.envs import toxini
    python = os.path.join(ROOT, ".tox", env, "bin", "python")
    if not os.path.exists(python):
        sys.exit("faults: no environment {} (tox -e {} --notest)".format(env, env))
    out = os.path.join(args.work, "{}-{}.json".format(env, tag))
    t0 = time.time()
    run_env = dict(os.environ, PYTHONPATH=code_root, HARNESS_FAULTS_ROOT=code_root,
                   **toxini.base_set_env(), **toxini.by_name()[env].set_env)
    tuning = (["--eps", str(args.eps)] if args.eps else []) + (
        ["--random-probes", str(args.random_probes)] if args.random_probes is not None else [])
    proc = subprocess.run([python, os.path.abspath(__file__), "--inside", "--out", out, *tuning,
                           "--cases", *[os.path.join(ROOT, c) for c in args.cases]], cwd=ROOT,
                          env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.exit("faults: {} ({}) failed: {}".format(env, tag, proc.stderr[-2000:]))
    with open(out) as fh:
        res = json.load(fh)
    res["seconds"] = round(time.time() - t0, 1)
    return res


def _checkout(rev, work):
    """The harness package of another commit, unpacked under work (git archive)."""
    dest = os.path.join(work, "rev-" + rev)
    if not os.path.isdir(os.path.join(dest, "harness")):
        os.makedirs(dest, exist_ok=True)
        got = subprocess.run(["git", "archive", rev, "harness"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        if got.returncode != 0:
            os.rmdir(dest)
            sys.exit("faults: --against {}: not a commit of this repository".format(rev))
        archive = got.stdout
        subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
    return dest


def host(args):
    versions = [("new", ROOT)] + ([("old", _checkout(args.against, args.work))] if args.against else [])
    runs = dict((tag, [_run(env, root, args, tag) for env in args.envs.split(",")])
                for tag, root in versions)
    tables = dict((tag, (table(res), table(res, large=True))) for tag, res in runs.items())
    for tag, results in runs.items():
        for res in results:
            slow = ["{} ({} s)".format(c["case"], c["faults"]["slow"]) for c in res["cells"]
                    if "slow" in c["faults"]]
            print("{} check, {}: {} cells, {} s{}".format(
                tag, res["tf_version"], len(res["cells"]), res["seconds"],
                "; left out, slower than {:g} s: {}".format(SLOW, ", ".join(slow)) if slow else ""))
    tags = [tag for tag, _ in versions]
    head = " | ".join("{} check: caught, sources <= {} | larger".format(t, LARGE) for t in tags)
    print("| release | fault | {} | missed by the new check (first 3) |".format(head))
    print("|---|---|" + "---|---|" * len(tags) + "---|")
    (rows, _), (big, _) = tables["new"]
    for i, (version, name, _, _, missed, _) in enumerate(rows):
        cells = []
        for t in tags:
            (r, _), (b, _) = tables[t]
            cells += [_share(*r[i][2:4], r[i][5]), _share(*b[i][2:4], b[i][5])]
        print("| {} | {} | {} | {} |".format(version, name, " | ".join(cells), "; ".join(missed[:3])))
    for t in tags:
        for res in runs[t]:
            grads = [p for c in res["cells"] for p in c["faults"]["baseline"] if p["status"] == "grad"]
            open_ = [p for p in grads if not p["checked"]]
            print("{} check, {}: {} of {} grad pairs without a numeric verdict, nothing planted "
                  "(kink or tie, noise, non-deterministic, unperturbable)".format(
                      t, res["tf_version"], len(open_), len(grads)))
    for t in tags:
        alarms = tables[t][0][1]
        print("{} check, false alarms (mismatch/zero with nothing planted, beyond the known real "
              "faults): {}".format(t, len(alarms)))
        for alarm in alarms:
            print("  " + " ".join(str(a) for a in alarm[:5]) + ": " + alarm[5])
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"against": args.against, "envs": args.envs, "tables": dict(
                (t, {"rows": [list(r[:4]) + [r[4][:10], r[5]] for r in tables[t][0][0]],
                     "rows_larger": [list(r[:4]) + [r[4][:10], r[5]] for r in tables[t][1][0]],
                     "false_alarms": tables[t][0][1]}) for t in tags),
                "seconds": dict((t, [r["seconds"] for r in runs[t]]) for t in tags)}, fh, indent=1)
        print("wrote " + args.json)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--envs", default="tf18,tf221")
    p.add_argument("--cases", nargs="+", default=DEFAULT_CASES)
    p.add_argument("--json", default=None)
    p.add_argument("--work", default=os.path.join(ROOT, "build", "faults"))
    p.add_argument("--against", default=None, metavar="REV",
                   help="also run the harness of this git commit, side by side (the old check)")
    p.add_argument("--eps", type=float, default=None, help="the run's --numeric-eps (default: its default)")
    p.add_argument("--random-probes", type=int, default=None,
                   help="most blocks a source is probed in (default: fdcheck.MAX_BLOCKS)")
    p.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.inside:
        return inside(args.cases, args.out, args.eps, args.random_probes)
    if not os.path.isdir(args.work):
        os.makedirs(args.work)
    return host(args)


if __name__ == "__main__":
    sys.exit(main())
