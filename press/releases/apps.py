from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    """Press releases in each language, the public newsroom, its feeds and sitemaps."""

    name = "press.releases"
    label = "releases"
    verbose_name = _("Releases")

    def ready(self):
        from press.releases import receivers

        receivers.connect()
