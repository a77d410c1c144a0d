"""The back office: Django's admin, branded Presse, one module per concern."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Presse — press office")
admin.site.site_title = "Presse"
admin.site.index_title = _("Press office")

from press.admin import events  # noqa: E402, F401
