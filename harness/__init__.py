"""tf-regression harness: which TensorFlow release changed a gradient, and a report that proves it.

Layout: harness.inside runs inside each TensorFlow environment (Python 3.6+, standard library and
TensorFlow only); harness.host runs on the host (Python >= 3.10, pandas) and never imports TensorFlow.
harness.schema is shared by both and follows the inside rules.
"""
__version__ = "0.1.0"
