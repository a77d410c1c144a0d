"""Reads of the newsroom that span relations."""

from press.releases.models import ReleaseAccess


def release_access_by_token(token: str) -> ReleaseAccess | None:
    """The personal link with this token and its release, or None (an old, cut or
    guessed link)."""
    return (
        ReleaseAccess.objects.select_related(
            "release", "release__event", "release__boilerplate", "journalist"
        )
        .filter(token=token)
        .first()
    )
