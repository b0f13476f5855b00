"""tf.math.segment_prod: no gradient (LookupError) up to 2.4, a right one (zeros handled) from 2.5.

https://github.com/tensorflow/tensorflow/issues/41090 ("LookupError: gradient registry has no entry
for: SegmentProd") fixed by https://github.com/tensorflow/tensorflow/pull/42237 ("Add
SegmentProdGrad", merged 2020). unsorted_segment_prod has had its gradient since
https://github.com/tensorflow/tensorflow/pull/15858 (2018): the pair (usp, x) is the control.
The second segment holds a zero, which the new gradient must handle. Observed on the wheels:
(sp, x) `error` on 1.8.0 - 2.4.4, `grad` from 2.5.3 on; (usp, x) `grad` everywhere.

Standalone: python cases/known/segment_prod_grad.py
"""
EXPECTED = {("sp", "x"): [("1.8", "error"), ("2.5", "grad")],
            ("usp", "x"): [("1.8", "grad")]}


def build(tf):
    x = tf.constant([2.0, 0.5, 3.0, 0.0], name="x")
    ids = tf.constant([0, 0, 1, 1])
    return {"targets": {"sp": tf.segment_prod(x, ids), "usp": tf.unsorted_segment_prod(x, ids, 2)},
            "sources": {"x": x}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
