"""tf.math.bessel_i1 at 0, eager: the gradient is 1.0 where I1'(0) = 0.5, from 2.3 to 2.21.

https://github.com/tensorflow/tensorflow/issues/120578 ("`tf.math.bessel_i1` gradient returns 1.0
at x=0, correct value is 0.5", 2.21.0): the gradient I0(x) - I1(x)/x takes 0/0 as 0 at x = 0.
x = tf.Variable([0.0]) is the case's point and the harness evaluates there. Observed on the wheels:
`skipped` on 1.x (eager cases need TF 2), the right 0.5 on 2.0.4 - 2.2.3 (`grad`), 1.0 on 2.3.4 -
2.21.0 (`mismatch`: finite differences give 0.5), and 0.5 again on the nightly build
2.23.0.dev20261026 (`grad`): the issue's fix has landed there.

Standalone: python cases/known/bessel_i1_zero_eager.py
"""
MODE = "eager"
EXPECTED = {("i1", "x"): [("1.8", "skipped"), ("2.0", "grad"), ("2.3", "mismatch"),
                         ("2.23", "grad")]}


def build(tf):
    x = tf.Variable([0.0], name="x")
    return {"compute": lambda: {"i1": tf.math.bessel_i1(x)}, "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main_eager  # cases/known/_standalone.py

    main_eager(build, EXPECTED)
