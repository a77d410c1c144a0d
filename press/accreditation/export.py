"""The accreditation list for the venue's security and the badge printer (xlsx)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from press.models.accreditation import BadgeRequest, BadgeRequestState, FieldVisit


def accreditation_headers() -> list[str]:
    return [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Phone"),
        _("Nationality"),
        _("Outlet"),
        _("Outlet kind"),
        _("Outlet country"),
        _("Role"),
        _("Press card number"),
        _("Press card issued in"),
        _("Days attending"),
        _("Field visits"),
        _("Technical equipment"),
        _("Accessibility needs"),
        _("State"),
        _("Decided"),
        _("Request number"),
    ]


def accreditation_queryset(*, event=None, states=(BadgeRequestState.APPROVED,)):
    """Requests to export, in badge order (last name, first name); two queries in all."""
    requests = BadgeRequest.objects.select_related("event").prefetch_related(
        Prefetch("field_visits", queryset=FieldVisit.objects.order_by("starts_at", "pk"))
    )
    if event is not None:
        requests = requests.filter(event=event)
    if states:
        requests = requests.filter(state__in=states)
    return requests.order_by("last_name", "first_name", "pk")


def accreditation_rows(requests):
    for request in requests:
        yield [
            request.last_name,
            request.first_name,
            request.email,
            request.phone,
            request.nationality.name,
            request.outlet_name,
            request.get_outlet_kind_display(),
            request.outlet_country.name,
            request.get_role_display(),
            request.press_card_number,
            request.press_card_country.name,
            ", ".join(request.days),
            ", ".join(visit.display_name() for visit in request.field_visits.all()),
            ", ".join(request.equipment_labels()),
            request.accessibility_needs,
            request.get_state_display(),
            request.decided_at,
            request.pk,
        ]
