"""The sources of cells: case files. Inside rules: Python 3.6+, standard library only."""
