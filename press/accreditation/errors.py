"""The error every refused accreditation action raises."""

from press.core.errors import PresseError


class AccreditationError(PresseError):
    """A refused accreditation action; `code` is machine-readable, the text is for people."""
