"""Searching the newsroom.

On PostgreSQL: full-text search with each version's own language configuration
(french, english; "simple" for a language without one) over a copy of its text with
accents and ligatures folded, so that "reseau" finds "réseaux" and "securite" finds
"Sécurité" without the unaccent extension (which needs a superuser to install). The
query is folded the same way. Elsewhere (SQLite in development) every word of the
query must appear in the folded text.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from press.core.translated import content_languages
from press.releases.models import ReleaseVersion
from press.releases.text import QUERY_MAX_LENGTH, SEARCH_CONFIGS, text_fold


def versions_matching(query: str) -> QuerySet[ReleaseVersion]:
    """Versions whose text matches `query` (words, "quoted phrases", -excluded words on
    PostgreSQL); none for an empty query."""
    folded = text_fold(query)[:QUERY_MAX_LENGTH].strip()
    versions = ReleaseVersion.objects.all()
    if not folded:
        return versions.none()
    if connection.vendor == "postgresql":
        # Each version is matched in its own language's configuration.
        configs = {**dict.fromkeys(content_languages(), "simple"), **SEARCH_CONFIGS}
        matches = Q()
        for code, config in configs.items():
            versions = versions.annotate(
                **{f"search_{code}": SearchVector("search_text", config=config)}
            )
            search = SearchQuery(folded, config=config, search_type="websearch")
            matches |= Q(language=code, **{f"search_{code}": search})
        return versions.filter(matches)
    for word in folded.split():
        versions = versions.filter(search_text__contains=word.strip('"'))
    return versions
