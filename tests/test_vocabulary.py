"""One vocabulary: every status of harness/schema.py has a level, a meaning, a colour, an outcome
kind and a row in README's "### Statuses"; the reports and the sets derive from it."""
import re

import pytest

from harness import schema
from harness.host.reports import colors
from tests.conftest import ROOT

COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def statuses_section():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n### Statuses\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("status", list(schema.VOCABULARY))
def test_every_status_has_a_level_meaning_colour_outcome_and_readme_row(status):
    entry = schema.VOCABULARY[status]
    assert entry.levels and set(entry.levels) <= {schema.PAIR, schema.CELL}
    assert entry.meaning.strip() and "\n" not in entry.meaning
    assert COLOUR.match(entry.color) and entry.color != colors.UNKNOWN
    assert entry.text_color in ("#ffffff", "#000000")
    assert entry.outcome in (schema.BEHAVIOUR, schema.OFFER, schema.NOT_AN_OUTCOME)
    assert colors.color(status) == entry.color
    assert colors.text_color(status) == entry.text_color
    assert f"\n| `{status}` | " in statuses_section()


@pytest.mark.parametrize("word", list(schema.RAW_ONLY))
def test_raw_only_words_have_a_meaning_and_a_readme_mention(word):
    assert schema.RAW_ONLY[word].strip()
    assert word not in schema.VOCABULARY
    assert f"`{word}`" in statuses_section()


def test_readme_lists_no_status_the_schema_does_not_know():
    rows = re.findall(r"^\| `(\w+)` \|", statuses_section(), re.M)
    assert rows == list(schema.VOCABULARY)


def test_constants_and_sets_come_from_the_vocabulary():
    names = ["GRAD", "NONFINITE", "ZERO", "MISMATCH", "NONE", "UNAVAILABLE", "ERROR", "SKIPPED",
             "CRASH", "TIMEOUT", "INSTALL_FAILED", "HARNESS_ERROR"]
    assert sorted(getattr(schema, n) for n in names) == sorted(schema.VOCABULARY)
    assert list(schema.STATUSES) == list(schema.VOCABULARY)
    assert set(schema.NOT_OUTCOMES) == {schema.SKIPPED, schema.INSTALL_FAILED,
                                        schema.HARNESS_ERROR}
    assert schema.AVAILABILITY == (schema.UNAVAILABLE,)
    assert set(schema.PAIR_STATUSES) == {schema.GRAD, schema.NONFINITE, schema.ZERO,
                                         schema.MISMATCH, schema.NONE, schema.ERROR,
                                         schema.HARNESS_ERROR}
    assert schema.OK in schema.CELL_STATUSES and schema.GRAD not in schema.CELL_STATUSES


def test_an_unknown_status_renders_white_with_black_text():
    assert colors.color("no-such-status") == colors.UNKNOWN
    assert colors.text_color("no-such-status") == "#000000"
