"""One-line text as people type it: names, outlets, titles, cities.

Such text never needs an invisible character, and some are harmful: a right-to-left
override (U+202E) makes "Dupont" display as "tnopuD" in lists and badges, zero-width
spaces make two identical-looking names differ, control characters break spreadsheets
and emails. Unicode categories Cc (control) and Cf (format) are refused, except the
joiners that some scripts need to spell words right (U+200C ZWNJ in Persian, U+200D ZWJ
in Indic scripts and emoji).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


def invisible_character(text: str) -> str | None:
    """The first control or format character of `text` (ordinary joiners aside), or None."""
    for character in text:
        if character in ALLOWED_FORMAT_CHARACTERS:
            continue
        if unicodedata.category(character) in ("Cc", "Cf"):
            return character
    return None


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def invisible_character_message(*, field: str, character: str) -> str:
    """'Last name: contains an invisible character (U+202E); …' in the current language."""
    return str(
        _("%(field)s: contains an invisible character (%(code)s); type the text again without it.")
        % {"field": field, "code": code_point(character)}
    )


@deconstructible
class OneLineTextValidator:
    """Field validator: refuses control and format characters, naming the field.

    The field's label is given by the form or model field that owns the validator
    (`label`), so the message reads "Last name: contains an invisible character…"."""

    code = "invisible_character"

    def __init__(self, label=""):
        self.label = label

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        character = invisible_character(value)
        if character is None:
            return
        field = str(self.label).capitalize() if self.label else str(_("This field"))
        raise ValidationError(
            invisible_character_message(field=field, character=character),
            code=self.code,
            params={"code": code_point(character)},
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, OneLineTextValidator) and str(self.label) == str(other.label)
