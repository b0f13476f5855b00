"""Golden files: the tables and reports written from frozen raw files must not change unnoticed.

The raw files (tests/data/golden/) are real runs of the current schema: the seed's cases on 1.8.0,
1.9.0, 2.21.0 and a nightly build, and the corpus of documented changes on nine builds. The expected
outputs live in tests/test_golden/. After an intended change of an output, regenerate them with
`python3 -m pytest tests/test_golden.py --force-regen` and review the diff like code.
"""
from html import escape
from pathlib import Path

import pytest

from harness.host.reports import report

DATA = Path(__file__).parent / "data" / "golden"
OUTPUTS = ["gradients.csv", "matrix.csv", "transitions.csv", "value_changes.csv", "report.md",
           "report.html"]


def normalise(text: str, out: Path, raw: Path) -> str:
    """Drop what legitimately differs between two writes of the same results: the output path and
    where the checkout holds the frozen raw files."""
    return text.replace(str(out), "<out>").replace(str(raw), "<raw>")


@pytest.fixture(scope="module", params=["seed", "known"])
def written(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param)
    parser = __import__("argparse").ArgumentParser()
    report.add_arguments(parser)
    args = parser.parse_args(["--raw", str(DATA / request.param), "--out", str(out), "--no-plots"])
    # the frozen sets hold a few releases of tox.ini: the others were not run, which the report
    # names; only a release that failed or could not run makes its exit status 1
    assert report.run(args) == 0
    return request.param, out


@pytest.mark.parametrize("name", OUTPUTS)
def test_output_matches_golden_file(written, name, file_regression):
    which, out = written
    stem, ext = name.rsplit(".", 1)
    text = normalise((out / name).read_text(), out, DATA / which)
    file_regression.check(text, basename=f"{which}_{stem}", extension=f".{ext}")


def test_report_html_has_every_section_of_report_md(written):
    which, out = written
    md = (out / "report.md").read_text()
    page = (out / "report.html").read_text()
    sections = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert len(sections) >= 5, which
    for title in sections:
        assert f"<h2>{escape(title)}</h2>" in page, f"{which}: no section {title!r} in report.html"


def test_golden_files_are_not_empty_and_hold_the_known_transitions():
    golden = Path(__file__).parent / "test_golden"
    seed = (golden / "seed_transitions.csv").read_text()
    assert ",new_state,layer_cell/conv1d/kernel,none,grad,1.8.0,1.9.0" in seed
    assert "2.12.1" in (golden / "known_value_changes.csv").read_text()
