"""Case discovery of the inside side, run on the host interpreter (it needs no TensorFlow)."""
import textwrap

from harness.inside.sources import cases
from harness.inside.running.cli import plan
from tests.conftest import ROOT


def write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def test_seed_case_axes_in_declared_order():
    spec = cases.inspect(str(ROOT / "cases" / "seed_conv_bn_gru.py"))
    assert spec.problem is None
    assert [axis for axis, _ in spec.axes] == ["batch", "input", "cell", "seq_len", "control_flow"]
    assert spec.axes[0] == ("batch", [None, 34])


def test_default_variants_are_seed_plus_one_axis_changes():
    spec = cases.CaseSpec("c", "c.py", axes=[("a", [1, 2, 3]), ("b", ["x", "y"])])
    labels = [cases.variant_label(v) for v in spec.variants()]
    assert labels == ["a=1,b=x", "a=2,b=x", "a=3,b=x", "a=1,b=y"]


def test_all_variants_is_the_product():
    spec = cases.CaseSpec("c", "c.py", axes=[("a", [1, 2, 3]), ("b", ["x", "y"])])
    assert len(spec.variants(all_variants=True)) == 6


def test_case_without_variants_runs_once():
    assert cases.CaseSpec("c", "c.py").variants() == [[]]


def test_syntax_error_named_with_file_and_line(tmp_path):
    path = write(tmp_path, "broken.py", "def build(tf):\n    return {\n")
    spec = cases.inspect(str(path))
    assert spec.problem.startswith("SyntaxError")
    assert "broken.py" in spec.problem


def test_missing_build_is_a_problem(tmp_path):
    spec = cases.inspect(str(write(tmp_path, "nobuild.py", "X = 1\n")))
    assert spec.problem.endswith("defines no build(tf, **variant)")


def test_non_literal_variants_is_a_problem(tmp_path):
    path = write(tmp_path, "dyn.py", "VARIANTS = dict(a=[1])\ndef build(tf):\n    pass\n")
    assert "VARIANTS must be a literal" in cases.inspect(str(path)).problem


def test_unknown_case_name_lists_the_known_ones(tmp_path):
    write(tmp_path, "one.py", "def build(tf):\n    pass\n")
    specs, problems = cases.discover(str(tmp_path), ["one", "two"])
    assert [s.name for s in specs] == ["one"]
    assert problems == ["unknown case 'two' in {} (cases: one)".format(tmp_path)]


def test_directory_without_case_files(tmp_path):
    specs, problems = cases.discover(str(tmp_path))
    assert specs == [] and "no case files" in problems[0]


def test_plan_indexes_cells_in_case_order(tmp_path):
    write(tmp_path, "b.py", "VARIANTS = {'k': [1, 2]}\ndef build(tf, k=1):\n    pass\n")
    write(tmp_path, "a.py", "def build(tf):\n    pass\n")
    specs, _ = cases.discover(str(tmp_path))
    cells = plan(specs, all_variants=False)
    assert [(c["index"], c["case"], c["variant_label"]) for c in cells] == [
        (0, "a", ""), (1, "b", "k=1"), (2, "b", "k=2")]
