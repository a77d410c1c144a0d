"""The error every refused accreditation action raises."""


class AccreditationError(Exception):
    """A refused accreditation action; `code` is machine-readable, the text is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
