"""Finds case files and their variant axes without running them.

Inside rules: Python 3.6+, standard library only, no imports from harness.host. Case files are read
with `ast`, so a case that crashes on import cannot take the supervisor down with it.
"""
import ast
import itertools
import os
import re


# A case that names Keras, TF1 layers or RNN cells (Keras-backed from TF 2.16 on) uses Keras; a
# literal KERAS = True / False in the file says so outright.
USES_KERAS = re.compile(rb"\b(keras|layers|rnn_cell)\b")


# The Keras 3 line's cells carry this variant pair (the runner adds it; build() never sees it), and
# the switches their worker runs under.
KERAS3 = ("keras", "3")
KERAS3_ENV = {"TF_USE_LEGACY_KERAS": "0", "KERAS_BACKEND": "tensorflow"}


def case_variant(cell_variant):
    """The keyword arguments of build() for a cell's variant pairs: the harness's own keras axis
    left out."""
    return dict((axis, value) for axis, value in cell_variant if axis != KERAS3[0])


class CaseSpec(object):
    """A case file: its name, path, variant axes (ordered) and the problem that prevents running it."""

    def __init__(self, name, path, axes=None, mode="graph", problem=None, keras=False,
                 kind="case"):
        self.name = name
        self.path = path
        self.axes = axes or []  # [(axis, [values...])], first value = default
        self.mode = mode
        self.problem = problem
        self.keras = keras  # uses Keras: runs on the Keras 3 line too (TF >= 2.16)
        self.kind = kind  # 'case' (a case file) or 'script' (a user's script: sources.scripts)

    def variants(self, all_variants=False):
        """The default configuration plus every one-axis change from it, or the full product."""
        if not self.axes:
            return [[]]
        names = [axis for axis, _ in self.axes]
        if all_variants:
            return [list(zip(names, combo)) for combo in itertools.product(*[v for _, v in self.axes])]
        default = [(axis, values[0]) for axis, values in self.axes]
        out = [default]
        for i, (axis, values) in enumerate(self.axes):
            for value in values[1:]:
                variant = list(default)
                variant[i] = (axis, value)
                out.append(variant)
        return out


def variant_label(variant):
    """[('batch', None), ('cell', 'gru')] -> 'batch=None,cell=gru'."""
    return ",".join("{}={}".format(axis, value) for axis, value in variant)


def describe(specs):
    """{case: {"axes": {axis: [values]}, "default": {axis: value}}} of the specs, for the raw file."""
    return dict((s.name, {"axes": dict((axis, list(values)) for axis, values in s.axes),
                          "default": dict((axis, values[0]) for axis, values in s.axes)})
                for s in specs)


def _literal(node, filename, what):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ValueError("{}: {} must be a literal (line {})".format(filename, what, node.lineno))


def inspect(path):
    """A CaseSpec for one file; `problem` is set when the file cannot be a case."""
    name = os.path.splitext(os.path.basename(path))[0]
    spec = CaseSpec(name, path)
    text, tree = parsed(spec)
    if tree is None:
        return spec
    has_build = False
    try:
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "build":
                has_build = True
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "VARIANTS":
                        spec.axes = _axes(_literal(node.value, path, "VARIANTS"), path)
                    elif isinstance(target, ast.Name) and target.id == "MODE":
                        spec.mode = _literal(node.value, path, "MODE")
                    elif isinstance(target, ast.Name) and target.id == "KERAS":
                        spec.keras = bool(_literal(node.value, path, "KERAS"))
    except ValueError as exc:
        spec.problem = str(exc)
        return spec
    if not has_build:
        spec.problem = "{}: defines no build(tf, **variant)".format(path)
    elif spec.mode not in ("graph", "eager"):
        spec.problem = "{}: MODE must be 'graph' or 'eager', not {!r}".format(path, spec.mode)
    return spec


def parsed(spec, what="cannot read"):
    """(the file's bytes, its ast) of a spec's file; (None, None) with spec.problem set, one line
    naming the file, when it cannot be read or parsed. Sets spec.keras from the text."""
    try:
        with open(spec.path, "rb") as fh:
            text = fh.read()
        tree = ast.parse(text, filename=spec.path)
    except SyntaxError as exc:
        spec.problem = "SyntaxError: {} ({}, line {})".format(exc.msg, spec.path, exc.lineno)
        return None, None
    except (OSError, ValueError) as exc:
        spec.problem = "{}: {} ({})".format(spec.path, what, exc)
        return None, None
    spec.keras = bool(USES_KERAS.search(text))
    return text, tree


def _axes(value, path):
    if not isinstance(value, dict):
        raise ValueError("{}: VARIANTS must be a dict of axis -> list of values".format(path))
    axes = []
    for axis, values in value.items():
        if axis == KERAS3[0]:
            raise ValueError("{}: VARIANTS may not name {!r}: the harness's axis of the Keras 3 "
                             "line".format(path, axis))
        if not isinstance(values, (list, tuple)) or not values:
            raise ValueError("{}: VARIANTS[{!r}] must be a non-empty list".format(path, axis))
        axes.append((str(axis), list(values)))
    return axes


def discover(cases_dir, names=None):
    """(specs in name order, problems): every case file of a directory, or the named ones."""
    if not os.path.isdir(cases_dir):
        return [], ["{}: no such cases directory".format(cases_dir)]
    files = sorted(f for f in os.listdir(cases_dir)
                   if f.endswith(".py") and not f.startswith(("_", ".")))
    specs = [inspect(os.path.join(cases_dir, f)) for f in files]
    if not specs:
        return [], ["{}: no case files (*.py) in this directory".format(cases_dir)]
    if not names:
        return specs, []
    known = dict((s.name, s) for s in specs)
    chosen, problems = [], []
    for name in names:
        name = name[:-3] if name.endswith(".py") else name
        if name in known:
            if known[name] not in chosen:
                chosen.append(known[name])
        else:
            problems.append("unknown case {!r} in {} (cases: {})".format(
                name, cases_dir, ", ".join(sorted(known))))
    return chosen, problems
