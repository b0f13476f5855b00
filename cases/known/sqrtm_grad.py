"""tf.linalg.sqrtm (MatrixSquareRoot): absent up to 1.12, from 1.13 on with a right gradient.

https://github.com/tensorflow/tensorflow/pull/20611 ("Adding matrix square root op", merged 2018,
"The gradient computation is included ... in linalg_grad.py"). Observed on the wheels: build() raises
AttributeError `module 'tensorflow...linalg' has no attribute 'sqrtm'` on 1.8.0 - 1.12.3
(`unavailable`), `grad` agreeing with finite differences from 1.13.2 on.

Standalone: python cases/known/sqrtm_grad.py
"""
EXPECTED = {("r", "a"): [("1.8", "unavailable"), ("1.13", "grad")]}


def build(tf):
    a = tf.constant([[4.0, 1.0], [1.0, 3.0]], name="a")  # symmetric positive definite
    r = tf.linalg.sqrtm(a)
    return {"targets": {"r": r}, "sources": {"a": a}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
