"""Judging the cells: a gradient's values, NaN/Inf, the finite-difference check, the point evaluated
and where backprop stops. Inside rules: Python 3.6+, standard library, numpy and TensorFlow only."""
