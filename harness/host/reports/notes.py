"""The notes report.md opens with, before and around the findings (host side): failures of the
harness, gradients not checked, values the harness chose, Keras 3 against tf-keras. One section
each, empty when there is nothing to say; the HTML report and the terminal say the same from the
same data (Tables, Analysis)."""
from __future__ import annotations


def cell_text(text: object) -> str:
    """Text safe inside a Markdown table cell or list line."""
    return str(text).replace("|", "\\|").replace("\n", " ").replace("`", "'")


def harness_failures(tables) -> list[str]:
    """'## Failures of the harness', first: results that are the harness's bug, not TensorFlow's."""
    rows = tables.harness_errors
    if rows.empty:
        return []
    return ["## Failures of the harness", "",
            f"{len(rows)} result{'s are' if len(rows) != 1 else ' is'} a failure of the harness's "
            "own code (`harness_error`), not a TensorFlow finding: no transition or value change "
            "uses them. Report them against the harness, not upstream.", "",
            *[f"- {cell_text(line)}" for line in tables.harness_lines()], ""]


def not_checked(an) -> list[str]:
    """'## Gradients not checked': cases that gave no gradient at all, and cases whose forward
    pass fails at the generated inputs."""
    if not an.unchecked and not an.unrecorded:
        return []
    return ["## Gradients not checked", "", *[f"- {u.sentence(md=True)}" for u in an.unrecorded],
            *[f"- {u.sentence(md=True)}" for u in an.unchecked], ""]


def chosen_values(an) -> list[str]:
    """'## Values the harness chose': once per case whose random variables got seeded values."""
    return ["## Values the harness chose", "", *[f"- {s.sentence(md=True)}" for s in an.seeded],
            ""] if an.seeded else []


def keras_lines(an) -> list[str]:
    """'## Keras 3 against tf-keras': each case that uses Keras, both lines on the same releases."""
    lines = [f"- {t}" for k in an.keras for t in k.sentences(md=True)]
    return ["## Keras 3 against tf-keras", "", *lines, ""] if lines else []
