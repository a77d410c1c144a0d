"""Which event the public pages and the back office are about."""

from django.utils import timezone

from press.events.models import Event


def current_event() -> Event | None:
    """The current event is the one not yet over that starts first; when every event
    is over, the one that ended last. None when there is no event at all."""
    today = timezone.localdate()
    upcoming = Event.objects.filter(ends_on__gte=today).order_by("starts_on", "pk").first()
    if upcoming:
        return upcoming
    return Event.objects.order_by("-ends_on", "-pk").first()
