from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CheckinConfig(AppConfig):
    """The on-site desk: scanning badges, who arrived, who was held."""

    name = "press.checkin"
    label = "checkin"
    # Its own context: the desk's French "Accueil" is also the admin's "Home".
    verbose_name = pgettext_lazy("back-office section", "Check-in")
