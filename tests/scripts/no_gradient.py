import tensorflow as tf

x = tf.constant([1.0, 2.0])
print(x * 2)
