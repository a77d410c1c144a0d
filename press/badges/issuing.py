"""Issuing badges: an approved request gets its one active badge; a new code replaces
the old one on request; a withdrawn or cancelled request's badge is revoked.

Replaced and revoked badges are kept, so that their codes still answer at the desk
("replaced", "revoked") rather than "unknown". Each function locks the request's row,
so that two staff members acting at once never leave two active badges.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from press.accreditation.emails import BADGE_REPLACED
from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.accreditation.notifications import badge_request_notify
from press.badges.enums import BadgeState
from press.badges.errors import BadgeError
from press.badges.models import Badge
from press.core.typing import StaffMember


def _locked(badge_request: BadgeRequest) -> BadgeRequest:
    return BadgeRequest.objects.select_for_update().get(pk=badge_request.pk)


def _require_approved(badge_request: BadgeRequest) -> None:
    if badge_request.state != BadgeRequestState.APPROVED:
        raise BadgeError(
            "not_approved",
            _("Only an approved request has a badge; this one is %(state)s.")
            % {"state": BadgeRequestState(badge_request.state).label.lower()},
        )


def badge_issue(*, badge_request: BadgeRequest) -> Badge:
    """Give an approved request its active badge and return it. Idempotent: a request
    that already has one keeps it (approving again after the waiting list issues no
    second badge). Refuses a request that is not approved ("not_approved")."""
    with transaction.atomic():
        locked = _locked(badge_request)
        _require_approved(locked)
        active = Badge.objects.filter(badge_request=locked, state=BadgeState.ACTIVE).first()
        if active is not None:
            return active
        return Badge.objects.create(badge_request=locked)


def badge_replace(*, badge_request: BadgeRequest, by: StaffMember) -> Badge:
    """Issue a new code for an approved request (a lost card, a code shared too widely):
    the active badge becomes "replaced", with when and by whom, and answers so at the
    desk; the new badge is returned, not yet printed. The journalist is emailed the new
    QR code in their language once the change commits (nothing goes if it rolls back).
    Refuses a request that is not approved ("not_approved")."""
    with transaction.atomic():
        locked = _locked(badge_request)
        _require_approved(locked)
        Badge.objects.filter(badge_request=locked, state=BadgeState.ACTIVE).update(
            state=BadgeState.REPLACED, ended_at=timezone.now(), ended_by=by
        )
        badge = Badge.objects.create(badge_request=locked)
        badge_request_notify(badge_request=locked, template=BADGE_REPLACED)
        return badge


def badge_revoke(*, badge_request: BadgeRequest, by: StaffMember = None) -> Badge | None:
    """Revoke the active badge of a request that is withdrawn or cancelled: it answers
    "revoked" at the desk from now on. Returns the revoked badge, or None when the
    request had none (it was never approved). Refuses while the request is still
    approved ("still_approved")."""
    with transaction.atomic():
        locked = _locked(badge_request)
        if locked.state == BadgeRequestState.APPROVED:
            raise BadgeError(
                "still_approved",
                _("The request is still approved: withdraw or cancel it first."),
            )
        active = (
            Badge.objects.select_for_update()
            .filter(badge_request=locked, state=BadgeState.ACTIVE)
            .first()
        )
        if active is None:
            return None
        active.state = BadgeState.REVOKED
        active.ended_at = timezone.now()
        active.ended_by = by
        active.save(update_fields=["state", "ended_at", "ended_by"])
        return active
