"""Phone numbers: stored in E.164 (+32470123456), shown in the reader's way.

National numbers are read with the journalist's or outlet's country, or the press
office's own (settings.PRESS_OFFICE_COUNTRY, default BE).
"""

import phonenumbers
from django.conf import settings


def office_country() -> str:
    return str(getattr(settings, "PRESS_OFFICE_COUNTRY", "") or "BE").upper()


def _digits_from_number(value) -> str | None:
    """Excel turns '+32 470 12 34 56' into the number 32470123456 (or 32470123456.0)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _parse(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_normalise(value, *, country: str = "") -> str:
    """The number in E.164 (+32470123456) when it parses as a valid number, using
    `country` (ISO code) for national numbers; otherwise the trimmed text as typed."""
    if value is None:
        return ""
    return phone_e164(value, country=country) or _as_typed(value)


def _as_typed(value) -> str:
    digits = _digits_from_number(value)
    if digits is not None:
        return digits
    return " ".join(str(value).split())


def phone_e164(value, *, country: str = "") -> str | None:
    """The number in E.164 when it parses as a valid number (national numbers read with
    `country`, an ISO code, or the office's country), None otherwise; "" for no number."""
    if value is None:
        return ""
    region = (country or office_country()).upper()
    digits = _digits_from_number(value)
    if digits is not None:
        # A number cell lost its leading "+" or "0": try both readings.
        return _parse(f"+{digits}", region) or _parse(f"0{digits}", region)
    text = " ".join(str(value).split())
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    return _parse(text, region)


def _stored_number(value: str) -> phonenumbers.PhoneNumber | None:
    """A stored number (E.164, or national for the office's country) when it is valid."""
    try:
        number = phonenumbers.parse(value, None if value.startswith("+") else office_country())
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def phone_display(value: str, *, country: str = "") -> str:
    """How a reader in `country` (the office's by default) dials it: the national format
    for a number of that country (0470 12 34 56), the international one otherwise
    (+33 6 12 34 56 78); anything that does not parse, as it is."""
    if not value:
        return ""
    number = _stored_number(value)
    if number is None:
        return value
    reader = (country or office_country()).upper()
    if phonenumbers.region_code_for_number(number) == reader:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_editable(value: str) -> str:
    """A stored number as it is shown in an edit box: international and grouped
    (+32 470 12 34 56), so that it reads well and means the same whatever country the
    record is saved with; anything that does not parse, as it is."""
    if not value or not value.startswith("+"):
        return value or ""
    number = _stored_number(value)
    if number is None:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
