"""Reads of the newsroom that span relations."""

from django.db.models import QuerySet

from press.releases.models import Release, ReleaseAccess, Topic
from press.releases.search import versions_matching


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


def newsroom_releases(
    *, q: str = "", topic: str = "", event: str = "", year: int | None = None
) -> QuerySet[Release]:
    """Public releases, newest first, narrowed by a search (`q`, see
    press.releases.search), a topic's short name, an event's short name and a year. The
    newsroom's index and its feed both read through it."""
    releases = Release.objects.public()
    if q.strip():
        releases = releases.filter(pk__in=versions_matching(q).values("release_id"))
    if topic:
        releases = releases.filter(topics__slug=topic)
    if event:
        releases = releases.filter(event__slug=event)
    if year:
        releases = releases.filter(publish_at__year=year)
    return releases.order_by("-publish_at", "-pk")


def newsroom_topics() -> QuerySet[Topic]:
    """Topics that have at least one public release, in their order."""
    return Topic.objects.filter(releases__in=Release.objects.public()).distinct()
