"""The back office: Django's admin, branded Presse, one module per concern."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Presse — press office")
admin.site.site_title = "Presse"
admin.site.index_title = _("Press office")

# One module per concern, each registering its models with the site.
from press.admin import (  # noqa: E402
    accreditation,  # noqa: F401
    events,  # noqa: F401
    mailings,  # noqa: F401
    releases,  # noqa: F401
)
