"""Running the cells: the runner (cli), its worker processes (supervisor, worker), the result cache
and the raw file. Inside rules: Python 3.6+, standard library and TensorFlow only."""
