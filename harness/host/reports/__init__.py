"""Views of the tables: `python -m harness report` writes the CSVs, report.md, report.html and the pictures."""
