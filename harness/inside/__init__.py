"""The inside side: runs in each TensorFlow environment (Python 3.6+, standard library, TensorFlow, numpy)."""
