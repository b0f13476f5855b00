"""A user's case whose forward pass only runs at one batch size: it reshapes to a fixed batch of 5
while its placeholder's batch dimension is None. With the default size for None dimensions (2) none
of its gradients can be evaluated; with --none-dim 5 every one is checked."""


def build(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(tf.ones([3, 2]), name="w")
    rows = tf.reshape(x, [5, 3])
    y = tf.reduce_sum(tf.tanh(tf.matmul(rows, w)))
    return {"targets": {"y": y}, "sources": {"w": w}}


if __name__ == "__main__":
    import tensorflow as tf
    print(build(tf))
