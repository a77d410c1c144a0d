from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    """What was published after the event, tied to who was accredited."""

    name = "press.coverage"
    label = "coverage"
    verbose_name = _("Coverage")

    def ready(self):
        from press.coverage import receivers

        receivers.connect()
