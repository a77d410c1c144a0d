"""Phone numbers: E.164 when the number can be understood, as typed otherwise."""

import phonenumbers

DEFAULT_REGION = "BE"


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
    region = (country or DEFAULT_REGION).upper()
    digits = _digits_from_number(value)
    if digits is not None:
        # A number cell lost its leading "+" or "0": try both readings.
        return _parse(f"+{digits}", region) or _parse(f"0{digits}", region) or digits
    text = " ".join(str(value).split())
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    return _parse(text, region) or text
