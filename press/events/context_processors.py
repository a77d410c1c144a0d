from django.utils.functional import SimpleLazyObject

from press.events.selectors import current_event


def public_site(request):
    """The current event for the public pages' header and footer, read only if used."""
    return {"current_event": SimpleLazyObject(current_event)}
