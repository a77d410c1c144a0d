from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The editions of the conference that releases, mailings and badges belong to."""

    name = "press.events"
    label = "events"
    verbose_name = _("Events")
