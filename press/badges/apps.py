from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    """Press badges: one per approved request, its code, its printing."""

    name = "press.badges"
    label = "badges"
    verbose_name = _("Badges")

    def ready(self):
        from press.badges import receivers

        receivers.connect()
