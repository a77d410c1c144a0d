from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from press.core.admin import OfficeAdmin
from press.events.models import Event


@admin.register(Event)
class EventAdmin(OfficeAdmin):
    add_title = _("New event")
    list_display = ["__str__", "starts_on", "ends_on", "city", "accreditation_opens_at"]
    search_fields = ["slug", "city", "venue"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "starts_on", "ends_on", "website", "logo"]}),
        (
            _("Place"),
            {"fields": ["venue", "venue_names", "address", "city", "city_names", "country"]},
        ),
        (
            _("Press office"),
            {"fields": ["press_email", "press_phone", "sender_name", "sender_email"]},
        ),
        (
            _("Accreditation"),
            {
                "fields": [
                    "accreditation_opens_at",
                    "accreditation_closes_at",
                    "press_capacity",
                    "per_outlet_limit",
                ]
            },
        ),
    ]
