"""The accreditation list for the venue's security and the badge printer (xlsx)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from press.accreditation.models import BadgeRequest, BadgeRequestState, FieldVisit


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
    badge_requests = BadgeRequest.objects.select_related("event").prefetch_related(
        Prefetch("field_visits", queryset=FieldVisit.objects.order_by("starts_at", "pk"))
    )
    if event is not None:
        badge_requests = badge_requests.filter(event=event)
    if states:
        badge_requests = badge_requests.filter(state__in=states)
    return badge_requests.order_by("last_name", "first_name", "pk")


def accreditation_rows(badge_requests):
    for badge_request in badge_requests:
        yield [
            badge_request.last_name,
            badge_request.first_name,
            badge_request.email,
            badge_request.phone,
            badge_request.nationality.name,
            badge_request.outlet_name,
            badge_request.get_outlet_kind_display(),
            badge_request.outlet_country.name,
            badge_request.get_role_display(),
            badge_request.press_card_number,
            badge_request.press_card_country.name,
            ", ".join(badge_request.days),
            ", ".join(visit.display_name() for visit in badge_request.field_visits.all()),
            ", ".join(badge_request.equipment_labels()),
            badge_request.accessibility_needs,
            badge_request.get_state_display(),
            badge_request.decided_at,
            badge_request.pk,
        ]
