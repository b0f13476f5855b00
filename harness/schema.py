"""The vocabulary shared by both sides: statuses and the raw-file schema.

Inside rules apply: Python 3.6+, standard library only, no imports from harness.host.
Every status is defined once, in VOCABULARY: its level, meaning, colours and whether it is an
outcome; the constants, STATUSES and the sets below are read from it, and so are the reports'
colours (harness.host.reports.colors) and legends. README's "### Statuses" has one row per status
(tests/test_vocabulary.py checks all three).
"""
from collections import namedtuple

# 2: statuses nonfinite and unavailable, value fingerprints of pairs and targets (1 is still read).
SCHEMA_VERSION = 2
RAW_KIND = "tf-regression-harness/raw"

# Levels. A pair status is the outcome of one (target, source) pair of a cell; a cell status is
# that of a whole cell (or of every cell of an environment: a raw file's `env_status`) when it has
# no pairs; the tables give such a cell one row, target and source '*'.
PAIR = "pair"
CELL = "cell"
# What a status says: how gradients behave, what a release offers (a transition from it is an API
# that appears, listed apart from behaviour changes), or nothing about TensorFlow (never the end
# of a transition).
BEHAVIOUR = "behaviour"
OFFER = "availability"
NOT_AN_OUTCOME = None

Status = namedtuple("Status", "levels meaning color text_color outcome")
_W, _B = "#ffffff", "#000000"  # the text that reads on the colour

GRAD = "grad"
NONFINITE = "nonfinite"
ZERO = "zero"
MISMATCH = "mismatch"
NONE = "none"
UNAVAILABLE = "unavailable"
ERROR = "error"
SKIPPED = "skipped"
CRASH = "crash"
TIMEOUT = "timeout"
INSTALL_FAILED = "install_failed"
HARNESS_ERROR = "harness_error"

# In the order of the reports' legends. Colours: colour-blind-safe where it matters.
VOCABULARY = dict([
    (GRAD, Status((PAIR,), "tf.gradients returned a gradient tensor, finite (agreeing with finite "
                  "differences when checked)", "#1a9850", _W, BEHAVIOUR)),
    (NONFINITE, Status((PAIR,), "a gradient tensor with NaN or Inf elements at the evaluated "
                       "inputs", "#e7298a", _W, BEHAVIOUR)),
    (ZERO, Status((PAIR,), "a gradient tensor that is all zero where central finite differences "
                  "are clearly not", "#fee08b", _B, BEHAVIOUR)),
    (MISMATCH, Status((PAIR,), "a gradient whose directional derivative differs from finite "
                      "differences by more than their estimated error", "#d73027", _W, BEHAVIOUR)),
    (NONE, Status((PAIR,), "tf.gradients returned None: no path from the source to the target "
                  "that it follows", "#f46d43", _B, BEHAVIOUR)),
    (UNAVAILABLE, Status((CELL,), "the case could not be built: the TensorFlow API it uses does "
                         "not exist in this release (missing attribute or module, op not "
                         "registered)", "#abd9e9", _B, OFFER)),
    (ERROR, Status((PAIR, CELL), "an exception: in tf.gradients, in the case's build(), on "
                   "import, or an unreadable result file", "#7b3294", _W, BEHAVIOUR)),
    (SKIPPED, Status((CELL,), "not run, with the reason: no interpreter for this release here, "
                     "or the case declines it", "#d9d9d9", _B, NOT_AN_OUTCOME)),
    (CRASH, Status((CELL,), "the interpreter died while running the cell (signal or exit code "
                   "in detail)", "#40004b", _W, BEHAVIOUR)),
    (TIMEOUT, Status((CELL,), "the cell ran past --timeout seconds and was stopped", "#c2a5cf",
                     _B, BEHAVIOUR)),
    (INSTALL_FAILED, Status((CELL,), "the release's environment could not be created or "
                            "installed", "#969696", _W, NOT_AN_OUTCOME)),
    (HARNESS_ERROR, Status((PAIR, CELL), "the harness's own code failed, not the case or "
                           "TensorFlow: a failure of the run, never a finding", "#252525", _W,
                           NOT_AN_OUTCOME)),
])

# A cell's status in raw files when it produced pairs: each pair carries its own status. Not a
# status of the tables (never a row), so it has no colour.
OK = "ok"
RAW_ONLY = {OK: "the cell ran and produced pairs, each with its own status (raw files only)"}

PAIR_STATUSES = tuple(s for s, v in VOCABULARY.items() if PAIR in v.levels)
CELL_STATUSES = (OK,) + tuple(s for s, v in VOCABULARY.items() if CELL in v.levels)
# status -> its meaning, for the reports' legends.
STATUSES = dict((s, v.meaning) for s, v in VOCABULARY.items())
# Statuses that say nothing about TensorFlow's behaviour: never the end of a transition.
NOT_OUTCOMES = tuple(s for s, v in VOCABULARY.items() if v.outcome is NOT_AN_OUTCOME)
# Outcomes about what a release offers rather than how its gradients behave: a transition from one
# of these is an API that appears, listed apart from behaviour changes.
AVAILABILITY = tuple(s for s, v in VOCABULARY.items() if v.outcome == OFFER)


def harness_failed(cell):
    """Whether a raw cell holds a failure of the harness's own code: the cell's or any pair's."""
    return cell.get("status") == HARNESS_ERROR or any(
        p.get("status") == HARNESS_ERROR for p in cell.get("pairs") or [])
