"""Reads of the badges area that other areas (check-in, the dashboard) rely on."""

from django.db.models import QuerySet

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.badges.enums import BadgeState
from press.badges.models import Badge
from press.events.models import Event

# Longer than any code badge_code_new makes: such a string is not looked up at all.
CODE_MAX_LENGTH = 32


def badge_by_code(code: str) -> Badge | None:
    """The badge with this code whatever its state (active, replaced, revoked), with its
    request, event, journalist and outlet loaded; None for an unknown code. Whitespace
    around the code (a scanner's trailing newline) is ignored."""
    code = (code or "").strip()
    if not code or len(code) > CODE_MAX_LENGTH:
        return None
    return (
        Badge.objects.select_related(
            "badge_request__event", "badge_request__journalist", "badge_request__outlet"
        )
        .filter(code=code)
        .first()
    )


def badge_active(*, badge_request: BadgeRequest) -> Badge | None:
    """The request's active badge, or None (not approved, or revoked)."""
    return Badge.objects.filter(badge_request=badge_request, state=BadgeState.ACTIVE).first()


def badges_printable(*, event: Event | None = None, include_printed: bool = False) -> QuerySet:
    """Active badges of approved requests, by last name then first name, with what the
    badge shows loaded; those not printed yet unless `include_printed`; one event's only
    when given."""
    badges = Badge.objects.filter(
        state=BadgeState.ACTIVE, badge_request__state=BadgeRequestState.APPROVED
    )
    if event is not None:
        badges = badges.filter(badge_request__event=event)
    if not include_printed:
        badges = badges.filter(printed_at__isnull=True)
    return badges.select_related("badge_request__event", "printed_by").order_by(
        "badge_request__last_name", "badge_request__first_name", "pk"
    )
