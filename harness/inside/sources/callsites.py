"""A script's text: its mode, and its gradient call sites with their arguments' source text, read
by `ast` without running it (sources.scripts runs it).

Inside rules: Python 3.6+, standard library only, no imports from harness.host.
"""
import ast
import os
import re

from harness.inside.sources.cases import CaseSpec, parsed

GRAPH_CALLS = ("gradients",)
TAPE_CALLS = ("gradient", "jacobian")
_TF1_API = re.compile(rb"\b(gradients|Session|placeholder)\s*\(")
_TAPE = re.compile(rb"\bGradientTape\b")


def inspect(path):
    """A CaseSpec of kind 'script': graph mode when the script uses the TF1 API (tf.gradients,
    sessions, placeholders), eager when it uses a GradientTape and none of those."""
    name = os.path.splitext(os.path.basename(path))[0]
    spec = CaseSpec(name, path, kind="script")
    text, tree = parsed(spec, "cannot read the script")
    if tree is None:
        return spec
    spec.mode = "eager" if _TAPE.search(text) and not _TF1_API.search(text) else "graph"
    return spec


def _scan(lines, row, col):
    """The source text of an argument from (row, col) up to the ',' or ')' that ends it at depth
    0 (brackets counted, strings taken whole), spaces collapsed: the same text on every Python
    (3.6's AST has no end positions)."""
    out, depth, quote = [], 0, None
    while row < len(lines):
        line = lines[row]
        while col < len(line):
            ch = line[col]
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    return " ".join("".join(out).split())
                depth -= 1
            elif ch == "," and depth == 0:
                return " ".join("".join(out).split())
            out.append(ch)
            col += 1
        out.append(" ")
        row, col = row + 1, 0
    return " ".join("".join(out).split())


class Site(object):
    """A gradient call of the script's text: its first line, its lines, its arguments' text."""

    def __init__(self, node, lines):
        self.line = node.lineno
        self.last = max(getattr(n, "lineno", node.lineno) for n in ast.walk(node))
        args = list(node.args) + [k.value for k in node.keywords if k.arg in ("ys", "target", "xs",
                                                                                "sources")]
        text = [_scan(lines, a.lineno - 1, a.col_offset) for a in args[:2]]
        self.target = text[0] if text else "?"
        xs = args[1] if len(args) > 1 else None
        self.sources = [_scan(lines, e.lineno - 1, e.col_offset) for e in xs.elts] \
            if isinstance(xs, (ast.List, ast.Tuple)) else []
        self.name = "{} @ line {}".format(self.target, self.line)

    @classmethod
    def unplaced(cls, line):
        """A gradient call at a line whose text shows no such call (made through another name)."""
        site = cls.__new__(cls)
        site.line = site.last = line or 0
        site.target, site.sources = "gradient", []
        site.name = "gradient call @ line {}".format(site.line)
        return site


def called_name(call):
    """The called function's own name: 'gradients' for tf.gradients(...)."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def sites(text, path):
    """Every call of the script whose function ends in .gradients, .gradient or .jacobian."""
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text, filename=path)):
        if isinstance(node, ast.Call):
            if called_name(node) in GRAPH_CALLS + TAPE_CALLS and node.args:
                found.append(Site(node, lines))
    return sorted(found, key=lambda s: (s.line, s.last))
