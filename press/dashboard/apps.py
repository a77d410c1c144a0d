from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The back office's home: what needs doing now, and the figures of an event."""

    name = "press.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
