"""Normalising what people type in spreadsheets and forms: emails, countries, languages.

Plain functions without database access, shared by the importer and the forms.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django_countries import countries


def email_normalise(value) -> str:
    """The address trimmed and lower-cased ('' for nothing usable); 'mailto:' and
    'Name <address>' forms are unwrapped. Validity is checked by email_is_valid."""
    if value is None:
        return ""
    text = str(value).strip()
    if "<" in text and text.endswith(">"):
        text = text[text.rindex("<") + 1 : -1].strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip().lower()


def email_is_valid(email: str) -> bool:
    if not email or len(email) > 254:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def text_fold(text: str) -> str:
    """Lower case without accents or punctuation: 'Côte d’Ivoire' -> 'cote divoire'."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in letters.lower())
    return " ".join(kept.split())


# Names people use that are not the official ones in django-countries.
COUNTRY_ALIASES = {
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "royaume uni": "GB",
    "angleterre": "GB",
    "usa": "US",
    "us": "US",
    "united states": "US",
    "etats unis": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "hollande": "NL",
    "czech republic": "CZ",
    "republique tcheque": "CZ",
    "tchequie": "CZ",
    "turkey": "TR",
    "turquie": "TR",
    "russia": "RU",
    "russie": "RU",
    "moldova": "MD",
    "moldavie": "MD",
    "macedoine du nord": "MK",
    "north macedonia": "MK",
    "kosovo": "XK",
}

_country_index: dict[str, str] | None = None


def _countries_by_name() -> dict[str, str]:
    """Folded English and French names and codes -> ISO code, built once."""
    global _country_index
    if _country_index is None:
        index = dict(COUNTRY_ALIASES)
        for language in ("en", "fr"):
            with translation.override(language):
                for code, name in countries:
                    index.setdefault(text_fold(str(name)), code)
        for code, _name in countries:
            index[code.lower()] = code
            alpha3 = countries.alpha3(code)
            if alpha3:
                index.setdefault(alpha3.lower(), code)
        _country_index = index
    return _country_index


def country_normalise(value) -> str | None:
    """The ISO 3166 code for a code or an English or French name; '' for blank; None
    when the text is not a country this knows."""
    if value is None:
        return ""
    text = text_fold(str(value))
    if not text:
        return ""
    return _countries_by_name().get(text)


# Language names in the languages people write spreadsheets in.
LANGUAGE_NAMES = {
    "french": "fr",
    "francais": "fr",
    "francaise": "fr",
    "franzosisch": "fr",
    "english": "en",
    "anglais": "en",
    "anglaise": "en",
    "englisch": "en",
    "german": "de",
    "allemand": "de",
    "deutsch": "de",
    "dutch": "nl",
    "flemish": "nl",
    "neerlandais": "nl",
    "flamand": "nl",
    "nederlands": "nl",
    "spanish": "es",
    "espagnol": "es",
    "espanol": "es",
    "italian": "it",
    "italien": "it",
    "italiano": "it",
    "portuguese": "pt",
    "portugais": "pt",
    "polish": "pl",
    "polonais": "pl",
    "greek": "el",
    "grec": "el",
    "swedish": "sv",
    "suedois": "sv",
    "finnish": "fi",
    "finnois": "fi",
}


def language_index() -> dict[str, str]:
    """Folded codes and names (in English and French) of the site's languages -> code."""
    index: dict[str, str] = {}
    for code, label in settings.LANGUAGES:
        index[code.lower()] = code
        for language in ("en", "fr"):
            with translation.override(language):
                index[text_fold(str(label))] = code
    for folded, code in LANGUAGE_NAMES.items():
        if code in index:
            index.setdefault(folded, index[code])
    return index


def language_normalise(value, *, index: dict[str, str] | None = None) -> tuple[str, bool]:
    """(language code, understood). A code ('fr', 'en-GB', 'FR') or a name ('English',
    'français') of one of settings.LANGUAGES gives that code; anything else, blank
    included, gives the default language, with understood=False unless blank.
    Callers normalising many values pass `index` (from language_index) once."""
    default = settings.LANGUAGE_CODE
    text = text_fold(str(value).replace("_", "-")) if value is not None else ""
    if not text:
        return default, True
    index = index if index is not None else language_index()
    code = index.get(text) or index.get(text.replace(" ", "-").split("-")[0])
    if code:
        return code, True
    return default, False
