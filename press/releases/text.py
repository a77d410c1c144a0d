"""Text of releases folded for search: lower case, no accents, no ligatures."""

import unicodedata

from django.utils.html import strip_tags

SEARCH_CONFIGS = {"fr": "french", "en": "english"}
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})
QUERY_MAX_LENGTH = 200


def text_fold(text: str) -> str:
    """Lower case, without accents or ligatures: "Écoles œcuméniques" → "ecoles oecumeniques"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def version_search_text(*, title: str, standfirst: str, body: str) -> str:
    """What a version is searched by: its title, standfirst and body text, folded."""
    return text_fold(" ".join([title or "", standfirst or "", strip_tags(body or "")]))
