"""tf.clip_by_norm with a negative clip_norm: scaled by it (sign flipped) up to 2.15, zero from 2.16.

`clip_norm` is documented as "a 0-D (scalar) Tensor > 0", but nothing checked it: t * clip_norm /
max(||t||, clip_norm) with clip_norm < 0 gives -t * |clip_norm| / ||t||
(https://github.com/tensorflow/tensorflow/issues/54414, https://github.com/tensorflow/tensorflow/issues/61158).
https://github.com/tensorflow/tensorflow/pull/61242 ("validate clip_norm argument in clip_by_norm
API", fixes #61158) makes clip_by_norm use max(clip_norm, 0). In the installed wheels that is in
clip_ops.py from 2.16.1 on (not in 2.15.1).

At t = [3, 4] (norm 5), clip_norm = -2 (a tensor): y = [-1.2, -1.6] up to 2.15, [0, 0] from 2.16.
The gradients of sum(y) move with it: w.r.t. t from [-0.064, 0.048] (= c/|t| - c (sum t) t/|t|^3)
to [0, 0]; w.r.t. clip_norm from sum(t)/|t| = 1.4 to 0 (max(c, 0) passes nothing back for c < 0).
No kink or tie at this point (|t| != clip_norm, clip_norm != 0): finite differences agree on every
release and the status stays `grad`; only the values move (the target's own value moves too).

Standalone: python cases/known/clip_by_norm_negative.py
"""
EXPECTED = {("y", "t"): [("1.8", "grad")], ("y", "clip_norm"): [("1.8", "grad")]}
EXPECTED_VALUES = {("y", "t"): ["2.16"], ("y", "clip_norm"): ["2.16"]}


def build(tf):
    t = tf.constant([3.0, 4.0], name="t")
    clip_norm = tf.constant(-2.0, name="clip_norm")
    y = tf.clip_by_norm(t, clip_norm)
    return {"targets": {"y": y}, "sources": {"t": t, "clip_norm": clip_norm}}


if __name__ == "__main__":
    from _standalone import main  # cases/known/_standalone.py

    main(build, EXPECTED)
