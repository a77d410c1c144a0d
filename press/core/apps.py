from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing: emails, translated fields, uploads, sanitising, spreadsheets,
    the task queue helper, the public templates' tags and the project's commands."""

    name = "press.core"
    label = "core"
    verbose_name = _("Presse")

    def ready(self):
        from press.permissions import sync_staff_groups

        post_migrate.connect(sync_staff_groups, dispatch_uid="press.sync_staff_groups")

        from press.core import checks, tracking  # noqa: F401 - checks register on import

        tracking.connect()
