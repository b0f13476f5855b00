"""A graph script that feeds its placeholder: the evaluation uses the script's feed_dict (x = [[3,
4]]: d sum((x w)^2) / d w = 2 (x w) x = [42, 56] at w = [1, 1]), not a generated value."""
import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2], name="x")
w = tf.Variable([[1.0], [1.0]], name="w")
loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))
grad_w, = tf.gradients(loss, [w])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(grad_w, feed_dict={x: np.array([[3.0, 4.0]])}))
