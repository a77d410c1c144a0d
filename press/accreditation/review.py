"""The reviewer's checklist: what was verified on a request's photo, press card,
letter of assignment and outlet before deciding. It is kept on the request and copied
into each decision's record, so that the history shows what the reviewer knew."""

import datetime as dt
from typing import TypedDict

from django.utils import timezone
from django.utils.translation import gettext as _

from press.accreditation.errors import AccreditationError
from press.accreditation.models import BadgeRequest, ReviewChecklist
from press.accreditation.selectors import returning_request
from press.core.typing import StaffMember


class ChecklistValues(TypedDict):
    photo_usable: bool
    press_card_valid: bool
    press_card_number: str
    press_card_issuer: str
    press_card_expires_on: dt.date | None
    letter_dated: bool
    outlet_verified: bool


CHECKLIST_FIELDS = tuple(ChecklistValues.__annotations__)


def review_checklist_save(
    *, badge_request: BadgeRequest, by: StaffMember, values: ChecklistValues
) -> ReviewChecklist:
    """Store what the reviewer checked on the request (one checklist per request,
    replaced on each save); a reused checklist stays marked reused while its values
    are unchanged, and is the reviewer's own once edited."""
    current = ReviewChecklist.objects.filter(badge_request=badge_request).first()
    if current is not None and checklist_values(current) == values:
        return current
    checklist, _created = ReviewChecklist.objects.update_or_create(
        badge_request=badge_request,
        defaults={**values, "checked_by": by, "reused_from": None},
    )
    return checklist


def reusable_checklist(*, badge_request: BadgeRequest) -> ReviewChecklist | None:
    """The checklist of the journalist's last accreditation at an earlier edition, when
    its press card's expiry date is still ahead (today and the event's first day)."""
    earlier = returning_request(email=badge_request.email, event=badge_request.event)
    if earlier is None:
        return None
    checklist = ReviewChecklist.objects.filter(badge_request=earlier).first()
    if checklist is None or checklist.press_card_expires_on is None:
        return None
    not_before = max(timezone.localdate(), badge_request.event.starts_on)
    return checklist if checklist.press_card_expires_on >= not_before else None


def review_checklist_reuse(*, badge_request: BadgeRequest, by: StaffMember) -> ReviewChecklist:
    """Copy the verification of the journalist's earlier accreditation into this
    request's checklist, marked as reused from it. Refuses ("nothing_to_reuse") when
    there is none or its press card has expired (see reusable_checklist)."""
    earlier = reusable_checklist(badge_request=badge_request)
    if earlier is None:
        raise AccreditationError(
            "nothing_to_reuse",
            _("There is no earlier verification whose press card is still valid."),
        )
    values = checklist_values(earlier)
    checklist, _created = ReviewChecklist.objects.update_or_create(
        badge_request=badge_request,
        defaults={**(values or {}), "checked_by": by, "reused_from": earlier},
    )
    return checklist


def checklist_values(checklist: ReviewChecklist | None) -> ChecklistValues | None:
    if checklist is None:
        return None
    return ChecklistValues(**{name: getattr(checklist, name) for name in CHECKLIST_FIELDS})  # type: ignore[typeddict-item]


def checklist_missing(*, values: ChecklistValues | None, event_starts_on: dt.date) -> list[str]:
    """What the checklist still lacks before an approval needs no confirmation, in the
    reader's language; empty when every point is checked."""
    if values is None:
        return [_("No checklist has been filled in.")]
    missing = []
    if not values["photo_usable"]:
        missing.append(_("The photo is not marked usable."))
    if not values["press_card_valid"]:
        missing.append(_("The press card is not marked valid."))
    if not values["press_card_number"].strip():
        missing.append(_("The press card number is missing."))
    if not values["press_card_issuer"].strip():
        missing.append(_("The press card's issuing body is missing."))
    expires_on = values["press_card_expires_on"]
    if expires_on is None:
        missing.append(_("The press card's expiry date is missing."))
    elif expires_on < event_starts_on:
        missing.append(_("The press card expires before the event."))
    if not values["letter_dated"]:
        missing.append(_("The letter of assignment is not marked dated."))
    if not values["outlet_verified"]:
        missing.append(_("The outlet is not marked verified."))
    return missing


def checklist_snapshot(checklist: ReviewChecklist | None) -> dict:
    """The checklist as JSON, for a decision's record; `reused_from` names the request
    whose verification was reused, when it was."""
    values = checklist_values(checklist)
    if checklist is None or values is None:
        return {}
    expires_on = values["press_card_expires_on"]
    snapshot = {**values, "press_card_expires_on": expires_on.isoformat() if expires_on else None}
    if checklist.reused_from_id:
        snapshot["reused_from"] = checklist.reused_from.badge_request_id  # type: ignore[union-attr]
    return snapshot
