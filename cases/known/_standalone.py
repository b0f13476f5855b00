"""The standalone run of a corpus case: `python cases/known/NAME.py` in any TensorFlow environment.

Not a case (the leading underscore keeps it out of discovery). It prints, for each (target, source)
of the case's EXPECTED, the gradient's value, None, or the exception: the minimal repro. For a
single file to attach upstream: `python -m harness repro --cases cases/known --raw
results/known/raw --case NAME --tf V`.
"""


def main(build, pairs):
    import sys

    import tensorflow

    tf = tensorflow
    if int(tensorflow.__version__.split(".")[0]) >= 2:
        tf = tensorflow.compat.v1
        tf.disable_eager_execution()
    print("TensorFlow", tensorflow.__version__)
    try:
        built = build(tf)
    except Exception as exc:  # e.g. AttributeError: the API does not exist in this release
        sys.exit("build() raised {}: {}".format(type(exc).__name__, exc))
    with tf.Session() as sess:
        for target, source in sorted(pairs):
            y, x = built["targets"][target], built["sources"][source]
            try:
                grad = tf.gradients(y, [x])[0]
            except Exception as exc:
                print("d {} / d {}: {}: {}".format(target, source, type(exc).__name__, exc))
                continue
            if grad is None:
                print("d {} / d {}: None".format(target, source))
                continue
            value, grad_value = sess.run([y, grad], built.get("feeds"))
            print("d {} / d {}: {}   ({} = {})".format(target, source, grad_value.tolist(),
                                                      target, value.tolist()))


def main_eager(build, pairs):
    """The same for an eager case (MODE = "eager"): build(tensorflow), compute() under a tape."""
    import sys

    import tensorflow as tf

    print("TensorFlow", tf.__version__)
    if int(tf.__version__.split(".")[0]) < 2:
        sys.exit("an eager case needs TensorFlow 2")
    built = build(tf)
    with tf.GradientTape(persistent=True) as tape:
        targets = built["compute"]()
    for target, source in sorted(pairs):
        y, x = targets[target], built["sources"][source]
        grad = tape.gradient(y, x)
        print("d {} / d {}: {}   ({} = {}, at {} = {})".format(
            target, source, None if grad is None else grad.numpy().tolist(), target,
            y.numpy().tolist(), source, x.numpy().tolist()))
