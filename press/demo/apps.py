from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo press office that `manage.py seed_demo` loads."""

    name = "press.demo"
    label = "demo"
    verbose_name = _("Demo data")
