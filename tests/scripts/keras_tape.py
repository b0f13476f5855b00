"""An eager TF2 script as users write it: a small Keras model, a loss, a GradientTape, one
optimizer step per batch (the harness stops at the first gradient call)."""
import numpy as np
import tensorflow as tf

x = np.random.RandomState(0).standard_normal((16, 6)).astype("float32")
y = np.random.RandomState(1).randint(0, 3, size=(16,))

model = tf.keras.Sequential([
    tf.keras.layers.Dense(8, activation="tanh"),
    tf.keras.layers.Dense(3),
])
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.SGD(0.1)

for step in range(3):
    with tf.GradientTape() as tape:
        logits = model(x)
        loss = loss_fn(y, logits)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    print(step, float(loss))
