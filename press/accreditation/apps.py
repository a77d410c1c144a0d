from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    """Badge requests: the public form, the review, the decisions and their emails."""

    name = "press.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditations")

    def ready(self):
        from press.accreditation import receivers

        receivers.connect()
