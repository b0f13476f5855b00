"""The one user-facing error of the host side: printed as one line, never as a traceback."""


class UserError(Exception):
    """Bad input or a missing prerequisite; the message names the thing at fault and the fix."""
