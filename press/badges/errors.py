"""The error every refused badge action raises."""

from press.core.errors import PresseError


class BadgeError(PresseError):
    """A refused badge action; `code` is machine-readable ("not_approved",
    "not_active", "no_badge"), the message is for people."""
