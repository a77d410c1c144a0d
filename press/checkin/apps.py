from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinConfig(AppConfig):
    """The on-site desk: scanning badges, who arrived, who was held."""

    name = "press.checkin"
    label = "checkin"
    verbose_name = _("Check-in")
