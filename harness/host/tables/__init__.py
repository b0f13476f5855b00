"""Results as tables: raw files -> one tidy table -> pivots, transitions, findings, value changes, diagnosis."""
