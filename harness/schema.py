"""The vocabulary shared by both sides: statuses and the raw-file schema.

Inside rules apply: Python 3.6+, standard library only, no imports from harness.host.
"""

# 2: statuses nonfinite and unavailable, value fingerprints of pairs and targets (1 is still read).
SCHEMA_VERSION = 2
RAW_KIND = "tf-regression-harness/raw"

# Outcome of one (target, source) pair, or of a whole cell when it could not produce pairs.
GRAD = "grad"
NONE = "none"
ERROR = "error"
SKIPPED = "skipped"
CRASH = "crash"
TIMEOUT = "timeout"
INSTALL_FAILED = "install_failed"
ZERO = "zero"
MISMATCH = "mismatch"
NONFINITE = "nonfinite"
UNAVAILABLE = "unavailable"

STATUSES = {
    GRAD: "tf.gradients returned a gradient tensor, finite (agreeing with finite differences when "
          "checked)",
    NONFINITE: "a gradient tensor with NaN or Inf elements at the evaluated inputs",
    ZERO: "a gradient tensor that is all zero where central finite differences are clearly not",
    MISMATCH: "a gradient whose directional derivative differs from finite differences (> tolerance)",
    NONE: "tf.gradients returned None: no path from the source to the target that it follows",
    UNAVAILABLE: "the case could not be built: the TensorFlow API it uses does not exist in this "
                 "release (missing attribute or module, op not registered)",
    ERROR: "an exception: in tf.gradients, in the case's build(), on import, or an unreadable result file",
    SKIPPED: "not run, with the reason: no interpreter for this release here, or the case declines it",
    CRASH: "the interpreter died while running the cell (signal or exit code in detail)",
    TIMEOUT: "the cell ran past --timeout seconds and was stopped",
    INSTALL_FAILED: "the release's environment could not be created or installed",
}

# Statuses that say nothing about TensorFlow's behaviour: never the end of a transition.
NOT_OUTCOMES = (SKIPPED, INSTALL_FAILED)
# Outcomes about what a release offers rather than how its gradients behave: a transition from one
# of these is an API that appears, listed apart from behaviour changes.
AVAILABILITY = (UNAVAILABLE,)
