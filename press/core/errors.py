"""The one base of every refused domain action."""

from press.core.typing import StrOrPromise


class PresseError(Exception):
    """A refused action: `code` is stable and machine-readable, `message` is for people
    (often a lazy translation, read in the language active when it is shown)."""

    def __init__(self, code: str, message: StrOrPromise):
        super().__init__(str(message))
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
