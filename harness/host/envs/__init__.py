"""The environments of tox.ini: pins, interpreters, the CI job matrix, doctor."""
