"""The event a coverage command is about: --event SLUG, or the current event."""

from django.core.management.base import CommandError

from press.events.models import Event
from press.events.selectors import current_event


def event_from_option(slug: str | None) -> Event:
    """The event named by `slug`, else the current one; CommandError (a clear message
    and a non-zero exit) when there is none."""
    if slug:
        found = Event.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Event.objects.order_by("-starts_on").values_list("slug", flat=True))
            raise CommandError(
                f"No event with the slug {slug!r}." + (f" Known events: {known}." if known else "")
            )
        return found
    found = current_event()
    if found is None:
        raise CommandError("There is no event yet.")
    return found
