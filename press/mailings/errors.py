"""The error every refused mailing action raises."""

from press.core.errors import PresseError


class MailingError(PresseError):
    """A refused mailing action; `code` is stable for programs, `message` is for people."""
