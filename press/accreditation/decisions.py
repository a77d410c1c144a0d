"""Decisions on badge requests: approve, waitlist, reject, withdraw, cancel.

Each move goes through one function that refuses a move the state does not allow
(AccreditationError with a code), saves with update_fields, records who, when, from,
to and a note, and queues the matching email once the transaction commits.
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from press.accreditation.emails import EMAIL_FOR_STATE
from press.accreditation.errors import AccreditationError
from press.accreditation.models import (
    AccreditationSettings,
    BadgeRequest,
    BadgeRequestState,
    BadgeRequestTransition,
    FieldVisit,
    ReviewChecklist,
)
from press.accreditation.notifications import badge_request_notify
from press.accreditation.review import (
    ChecklistValues,
    checklist_snapshot,
    review_checklist_save,
)
from press.accreditation.selectors import (
    field_visit_is_full,
    outlet_approved_count,
    outlet_limit_reached,
    with_field_visit_occupancy,
)
from press.accreditation.signals import badge_request_moved
from press.core.typing import StaffMember
from press.events.models import Event

State = BadgeRequestState
ALLOWED_MOVES: dict[str, set[str]] = {
    State.SUBMITTED: {State.APPROVED, State.WAITLISTED, State.REJECTED},
    State.WAITLISTED: {State.APPROVED, State.REJECTED},
}


def accreditation_approve(
    *,
    badge_request: BadgeRequest,
    by: StaffMember,
    note: str = "",
    checklist: ChecklistValues | None = None,
    selection: dict | None = None,
) -> BadgeRequest:
    """Approve a submitted or waitlisted request. `selection` (the rules, the seed, the
    rank and the reason of a selection) is recorded with the decision. A `checklist`
    given is stored with the request and copied into the decision's record, in the
    same transaction (a refused approval keeps neither). An incomplete checklist does
    not refuse: the back office asks the reviewer to confirm first. Refuses, under a
    lock on the event so that reviewers approving at once never exceed a limit: when
    the event's press capacity is reached ("press_capacity"), when the outlet already
    has its number of badges ("outlet_limit"), when a chosen field visit is full
    ("field_visit_full").
    Queues the approval email with the practical information and a calendar file."""
    return _decide(
        badge_request,
        to=State.APPROVED,
        by=by,
        note=note,
        checklist=checklist,
        selection=selection,
    )


def accreditation_waitlist(
    *,
    badge_request: BadgeRequest,
    by: StaffMember,
    note: str = "",
    checklist: ChecklistValues | None = None,
    selection: dict | None = None,
) -> BadgeRequest:
    """Put a submitted request at the end of the waiting list (its place is kept in
    `waitlist_position`); queues the waitlisted email. `selection` is recorded as for
    an approval."""
    return _decide(
        badge_request,
        to=State.WAITLISTED,
        by=by,
        note=note,
        checklist=checklist,
        selection=selection,
    )


def accreditation_reject(
    *,
    badge_request: BadgeRequest,
    by: StaffMember,
    note: str = "",
    checklist: ChecklistValues | None = None,
) -> BadgeRequest:
    """Reject a submitted or waitlisted request. The note is the reason, which the
    journalist reads in the rejection email and on the status page: refuses an empty
    one ("reason_required")."""
    return _decide(badge_request, to=State.REJECTED, by=by, note=note, checklist=checklist)


def accreditation_withdraw(
    *, badge_request: BadgeRequest, by: StaffMember = None, note: str = ""
) -> BadgeRequest:
    """The journalist withdraws a request that is still active (submitted, waitlisted or
    approved); `by` is None when the journalist does it from the status page. When an
    approved request is withdrawn, the first on the waiting list whom the limits allow
    is approved in the same transaction and told so, unless the event's accreditation
    settings turn this off."""
    return _decide(badge_request, to=State.WITHDRAWN, by=by, note=note)


def accreditation_cancel(
    *,
    badge_request: BadgeRequest,
    by: StaffMember,
    note: str = "",
    checklist: ChecklistValues | None = None,
) -> BadgeRequest:
    """Staff cancel a request that is still active; the journalist is told. A cancelled
    approval frees its place as a withdrawal does (see accreditation_withdraw)."""
    return _decide(badge_request, to=State.CANCELLED, by=by, note=note, checklist=checklist)


ACTIONS = {
    State.APPROVED: accreditation_approve,
    State.WAITLISTED: accreditation_waitlist,
    State.REJECTED: accreditation_reject,
    State.CANCELLED: accreditation_cancel,
}


def move_is_allowed(from_state: str, to_state: str) -> bool:
    if to_state in (State.WITHDRAWN, State.CANCELLED):
        return from_state in State.active()
    return to_state in ALLOWED_MOVES.get(from_state, set())


def _decide(
    badge_request: BadgeRequest,
    *,
    to: str,
    by: StaffMember,
    note: str,
    checklist: ChecklistValues | None = None,
    selection: dict | None = None,
) -> BadgeRequest:
    note = note.strip()
    with transaction.atomic():
        # Decisions of one event wait for each other on the event's row, so that the
        # capacity counts, the waiting list's order and the promotion of its first
        # stay exact until this one commits.
        event = Event.objects.select_for_update().get(pk=badge_request.event_id)
        locked = (
            BadgeRequest.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=badge_request.pk)
        )
        _check_move(locked, to)
        if to == State.REJECTED and not note:
            raise AccreditationError(
                "reason_required",
                _("A rejection needs a reason: the journalist reads it in the email."),
            )
        if to == State.APPROVED:
            _check_capacity(locked, event)
        if checklist is not None:
            review_checklist_save(badge_request=locked, by=by, values=checklist)
        from_state = locked.state
        moved = _move(locked, to=to, by=by, note=note, selection=selection)
        if from_state == State.APPROVED and to in (State.WITHDRAWN, State.CANCELLED):
            _promote_first_waitlisted(event)
        return moved


def _promote_first_waitlisted(event: Event) -> BadgeRequest | None:
    """Approve the first on the waiting list whom the limits allow (the event's row is
    locked by the caller); None when the event turns this off or nobody fits."""
    settings = AccreditationSettings.objects.filter(event=event).first()
    if settings is not None and not settings.promote_from_waitlist:
        return None
    waiting = (
        BadgeRequest.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(event=event, state=State.WAITLISTED)
        .order_by(F("waitlist_position").asc(nulls_last=True), "decided_at", "pk")
    )
    for candidate in waiting:
        try:
            _check_capacity(candidate, event)
        except AccreditationError:
            continue
        # The journalist's email and status page say it in their language; the
        # reason stays in the office's record, not in the note to the journalist.
        return _move(
            candidate,
            to=State.APPROVED,
            by=None,
            note="",
            record_note=_("Approved automatically from the waiting list when a place became free."),
            variant="promoted",
        )
    return None


def _check_move(badge_request: BadgeRequest, to_state: str) -> None:
    if not move_is_allowed(badge_request.state, to_state):
        raise AccreditationError(
            "not_allowed",
            _("A request that is %(from)s cannot become %(to)s.")
            % {
                "from": State(badge_request.state).label.lower(),
                "to": State(to_state).label.lower(),
            },
        )


def _check_capacity(badge_request: BadgeRequest, event: Event) -> None:
    approved = BadgeRequest.objects.filter(event=event, state=State.APPROVED).exclude(
        pk=badge_request.pk
    )
    if event.press_capacity and approved.count() >= event.press_capacity:
        raise AccreditationError(
            "press_capacity",
            ngettext(
                "The press capacity of %(capacity)s badge is reached.",
                "The press capacity of %(capacity)s badges is reached.",
                event.press_capacity,
            )
            % {"capacity": event.press_capacity},
        )
    if outlet_limit_reached(
        approved=outlet_approved_count(badge_request), limit=event.per_outlet_limit
    ):
        raise AccreditationError(
            "outlet_limit",
            ngettext(
                "%(outlet)s already has %(limit)s approved badge, the limit per outlet.",
                "%(outlet)s already has %(limit)s approved badges, the limit per outlet.",
                event.per_outlet_limit,
            )
            % {"outlet": badge_request.outlet_name, "limit": event.per_outlet_limit},
        )
    chosen = badge_request.field_visits.filter(capacity__gt=0)
    # Approvals choosing the same visit wait for each other on its row.
    locked = list(FieldVisit.objects.select_for_update().filter(pk__in=chosen.values("pk")))
    for visit in with_field_visit_occupancy(
        FieldVisit.objects.filter(pk__in=[v.pk for v in locked])
    ):
        if field_visit_is_full(visit):
            raise AccreditationError(
                "field_visit_full",
                ngettext(
                    "The field visit “%(visit)s” is full (%(capacity)s place).",
                    "The field visit “%(visit)s” is full (%(capacity)s places).",
                    visit.capacity or 0,
                )
                % {"visit": visit.display_name(), "capacity": visit.capacity},
            )


def _move(
    badge_request: BadgeRequest,
    *,
    to: str,
    by: StaffMember,
    note: str,
    selection: dict | None = None,
    variant: str = "",
    record_note: str = "",
) -> BadgeRequest:
    """`note` is the note to the journalist (decision_note, shown in the email and on
    the status page); `record_note` goes only into the office's record of the move."""
    from_state = badge_request.state
    badge_request.state = to
    fields = ["state", "updated_at"]
    if to == State.WAITLISTED:
        last = BadgeRequest.objects.filter(event_id=badge_request.event_id).aggregate(
            last=Max("waitlist_position")
        )["last"]
        badge_request.waitlist_position = (last or 0) + 1
        fields.append("waitlist_position")
    if by is not None or to != State.WITHDRAWN:
        badge_request.decided_at = timezone.now()
        badge_request.decided_by = by
        badge_request.decision_note = note
        fields += ["decided_at", "decided_by", "decision_note"]
    badge_request.save(update_fields=fields)
    saved = ReviewChecklist.objects.filter(badge_request=badge_request).first()
    BadgeRequestTransition.objects.create(
        badge_request=badge_request,
        from_state=from_state,
        to_state=to,
        by=by,
        note=note or record_note,
        checklist=checklist_snapshot(saved),
        selection=selection or {},
    )
    badge_request_moved.send(
        sender=BadgeRequest, badge_request=badge_request, from_state=from_state, to_state=to, by=by
    )
    badge_request_notify(badge_request=badge_request, template=EMAIL_FOR_STATE[to], variant=variant)
    return badge_request
