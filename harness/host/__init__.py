"""The host side (Python >= 3.10, pandas, never TensorFlow): tables, reports, any release, environments."""
