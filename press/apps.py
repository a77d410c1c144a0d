from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Press office")

    def ready(self):
        from press.permissions import sync_staff_groups

        post_migrate.connect(sync_staff_groups, dispatch_uid="press.sync_staff_groups")

        from press.mailings import tracking

        tracking.connect()
