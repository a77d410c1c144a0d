from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    """Releases, invitations and announcements sent to journalists, and their delivery."""

    name = "press.mailings"
    label = "mailings"
    verbose_name = _("Mailings")

    def ready(self):
        from press.mailings import receivers

        receivers.connect()
