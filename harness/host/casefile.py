"""`python -m harness case-from-script PATH`: the case file equivalent to a graph script (host side).

The script's statements up to its last tf.gradients call become the body of build(tf), verbatim
but for what a case does not do itself: `import tensorflow` (build gets tf), the TF1 switches
(disable_v2_behavior, disable_eager_execution), sessions, and the gradient calls, whose targets
build() returns under the names `run --script` gives them ("new_state @ line 66"), so a case's
results and a script's read alike. The sources: every trainable variable where the calls take
tf.trainable_variables(), else the calls' xs (the union, where calls differ).
"""
from __future__ import annotations

import argparse
import ast
import textwrap
from pathlib import Path

from harness.host.errors import UserError
from harness.inside.sources import callsites

_SWITCHES = {"disable_v2_behavior", "disable_eager_execution", "enable_eager_execution"}
_SESSIONS = {"Session", "InteractiveSession", "MonitoredSession", "MonitoredTrainingSession"}
_ALL_TRAINABLE = {"trainable_variables"}


def _called(node: ast.AST) -> set[str]:
    """Names of the functions called anywhere in a node."""
    return {callsites.called_name(sub) for sub in ast.walk(node) if isinstance(sub, ast.Call)}


def _is_tf_import(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Import) and all(a.name.split(".")[0] == "tensorflow"
                                                for a in stmt.names)


def _dropped(stmt: ast.stmt) -> bool:
    """What a case leaves to the harness: importing TensorFlow, its TF1 switches, sessions."""
    if _is_tf_import(stmt):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and \
            _called(stmt.value) & _SWITCHES:
        return True
    return isinstance(stmt, ast.With) and any(_called(item.context_expr) & _SESSIONS
                                              for item in stmt.items)


def _gradient_calls(stmt: ast.stmt) -> list[ast.Call]:
    return [n for n in ast.walk(stmt) if isinstance(n, ast.Call)
            and callsites.called_name(n) == "gradients" and n.args]


def _only_a_gradient_call(stmt: ast.stmt) -> bool:
    return isinstance(stmt, (ast.Assign, ast.Expr)) and isinstance(stmt.value, ast.Call) and \
        _gradient_calls(stmt) == [stmt.value]


def _used_later(stmt: ast.stmt, later: list[ast.stmt]) -> bool:
    """Whether a gradient call's result is read by a later statement (a second derivative)."""
    names = {n.id for t in getattr(stmt, "targets", []) for n in ast.walk(t)
             if isinstance(n, ast.Name)}
    return any(isinstance(n, ast.Name) and n.id in names for s in later for n in ast.walk(s))


def case_text(path: Path, stem: str = "") -> str:
    """The case file's text for the script at path (stem: the case file's name); UserError when
    it cannot be one."""
    spec = callsites.inspect(str(path))
    if spec.problem:
        raise UserError(spec.problem)
    if spec.mode == "eager":
        raise UserError(f"{path}: an eager script (GradientTape): case files from scripts are graph "
                        f"cases; run it as it is: python -m harness run --script {path}")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text, filename=str(path))
    calls = [(i, call) for i, stmt in enumerate(tree.body) for call in _gradient_calls(stmt)]
    if not calls:
        raise UserError(f"{path}: no tf.gradients call at the script's top level or in its "
                        "functions' calls: nothing to make targets of")
    last = max(i for i, _ in calls)
    body, end = [], _docstring_end(tree)
    for i, stmt in enumerate(tree.body[:last + 1]):
        if _dropped(stmt) or (_only_a_gradient_call(stmt) and not _used_later(
                stmt, tree.body[i + 1:last + 1])):
            end = stmt.end_lineno
            continue
        # its lines with the comments and blank lines before it, as the script has them
        body.extend(lines[end:stmt.end_lineno])
        end = stmt.end_lineno
    while body and not body[0].strip():
        body.pop(0)
    targets, xs_texts = {}, []
    for _, call in calls:
        site = callsites.Site(call, lines)
        targets[site.name] = ast.get_source_segment(text, call.args[0])
        xs = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "xs"), None)
        # tf.trainable_variables() (or no xs): the case's default sources, every trainable variable
        default = xs is None or isinstance(xs, ast.Call) and _called(xs) <= _ALL_TRAINABLE
        xs_texts.append("" if default else ast.get_source_segment(text, xs))
    returned = ["    return {", '        "targets": {']
    returned += [f"            {name!r}: {expr}," for name, expr in targets.items()]
    returned.append("        },")
    if any(xs_texts):
        returned.append('        "sources": _named(' + " + ".join(
            f"list(_listed({x}))" for x in dict.fromkeys(x for x in xs_texts if x)) + "),")
    returned.append("    }")
    return _TEMPLATE.format(
        name=path.name, stem=stem or path.stem, body=textwrap.indent("\n".join(body), "    "),
        returned="\n".join(returned), helpers=_HELPERS if any(xs_texts) else "")


def _docstring_end(tree: ast.Module) -> int:
    """The last line of the script's docstring (0 without one): it does not go into build()."""
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
            first.value.value, str):
        return first.end_lineno
    return 0


_TEMPLATE = '''"""Case made from the script {name} by `python -m harness case-from-script`.

build(tf) is the script up to its last tf.gradients call; each call is a target named as
`run --script` names it. Feeds the script gave its sessions are not carried over: add "feeds"
(placeholder -> value) to what build() returns to evaluate at them.

Standalone repro, in any TensorFlow environment:  python {stem}.py
"""


def build(tf):
{body}

{returned}
{helpers}

if __name__ == "__main__":
    import tensorflow

    tf = tensorflow
    if int(tensorflow.__version__.split(".")[0]) >= 2:
        tf = tensorflow.compat.v1
        tf.disable_v2_behavior()
    print("TensorFlow", tensorflow.__version__)
    built = build(tf)
    sources = built.get("sources") or dict((v.name, v) for v in tf.trainable_variables())
    for name, target in built["targets"].items():
        grads = tf.gradients(target, list(sources.values()))
        for source, grad in zip(sources, grads):
            print("d {{}} / d {{}}: {{}}".format(name, source, "None" if grad is None else "gradient"))
'''


_HELPERS = '''

def _listed(xs):
    return xs if isinstance(xs, (list, tuple)) else [xs]


def _named(xs):
    """Sources by variable name; a tensor by its place in the call's xs."""
    out = {}
    for i, x in enumerate(xs):
        name = x.name[:-2] if hasattr(x, "initializer") and x.name.endswith(":0") else (
            x.name if hasattr(x, "initializer") else "xs[{}]".format(i))
        out[name] = x
    return out

'''


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", type=Path, help="a graph script (TF1 API: tf.gradients)")
    parser.add_argument("--out", type=Path, default=None,
                        help="the case file to write (default: print it); its folder is a cases "
                             "folder: tox -e tf18 -- --cases FOLDER")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def run(args: argparse.Namespace) -> int:
    if not args.script.is_file():
        raise UserError(f"{args.script}: no such script")
    text = case_text(args.script, args.out.stem if args.out else "")
    if args.out is None:
        print(text, end="")
        return 0
    if args.out.exists() and not args.force:
        raise UserError(f"{args.out} exists: --force overwrites it")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: tox -e tf18 -- --cases {args.out.parent} --case {args.out.stem}")
    return 0
