"""Decisions on badge requests: approve, waitlist, reject, withdraw, cancel.

Each move goes through one function that refuses a move the state does not allow
(AccreditationError with a code), saves with update_fields, records who, when, from,
to and a note, and queues the matching email once the transaction commits.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from press.accreditation.emails import EMAIL_FOR_STATE
from press.accreditation.errors import AccreditationError
from press.accreditation.tasks import badge_request_email
from press.models import Event
from press.models.accreditation import (
    BadgeRequest,
    BadgeRequestState,
    BadgeRequestTransition,
    FieldVisit,
)
from press.queue import enqueue_on_commit

State = BadgeRequestState
ALLOWED_MOVES = {
    State.SUBMITTED: {State.APPROVED, State.WAITLISTED, State.REJECTED},
    State.WAITLISTED: {State.APPROVED, State.REJECTED},
}


def accreditation_approve(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Approve a submitted or waitlisted request. Refuses, under a lock on the event so
    that reviewers approving at once never exceed a limit: when the event's press
    capacity is reached ("press_capacity"), when the outlet already has its number of
    badges ("outlet_limit"), when a chosen field visit is full ("field_visit_full").
    Queues the approval email with the practical information and a calendar file."""
    return _decide(request, to=State.APPROVED, by=by, note=note)


def accreditation_waitlist(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Put a submitted request on the waiting list; queues the waitlisted email."""
    return _decide(request, to=State.WAITLISTED, by=by, note=note)


def accreditation_reject(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Reject a submitted or waitlisted request; the note is the reason the journalist
    reads in the rejection email."""
    return _decide(request, to=State.REJECTED, by=by, note=note)


def accreditation_withdraw(*, request: BadgeRequest, by=None, note: str = "") -> BadgeRequest:
    """The journalist withdraws a request that is still active (submitted, waitlisted or
    approved); `by` is None when the journalist does it from the status page."""
    return _decide(request, to=State.WITHDRAWN, by=by, note=note)


def accreditation_cancel(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Staff cancel a request that is still active; the journalist is told."""
    return _decide(request, to=State.CANCELLED, by=by, note=note)


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


def _decide(request: BadgeRequest, *, to: str, by, note: str) -> BadgeRequest:
    with transaction.atomic():
        if to == State.APPROVED:
            # Approvals of one event wait for each other on the event's row, so that
            # the capacity counts below stay exact until this one commits.
            event = Event.objects.select_for_update().get(pk=request.event_id)
        locked = (
            BadgeRequest.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=request.pk)
        )
        _check_move(locked, to)
        if to == State.APPROVED:
            _check_capacity(locked, event)
        return _move(locked, to=to, by=by, note=note)


def _check_move(request: BadgeRequest, to_state: str) -> None:
    if not move_is_allowed(request.state, to_state):
        raise AccreditationError(
            "not_allowed",
            _("A request that is %(from)s cannot become %(to)s.")
            % {
                "from": State(request.state).label.lower(),
                "to": State(to_state).label.lower(),
            },
        )


def _check_capacity(request: BadgeRequest, event: Event) -> None:
    approved = BadgeRequest.objects.filter(event=event, state=State.APPROVED).exclude(pk=request.pk)
    if event.press_capacity and approved.count() >= event.press_capacity:
        raise AccreditationError(
            "press_capacity",
            _("The press capacity of %(capacity)s badges is reached.")
            % {"capacity": event.press_capacity},
        )
    if event.per_outlet_limit:
        if request.outlet_id:
            same_outlet = approved.filter(outlet_id=request.outlet_id)
        else:
            same_outlet = approved.filter(
                outlet__isnull=True,
                outlet_name__iexact=request.outlet_name,
                outlet_country=request.outlet_country,
            )
        if same_outlet.count() >= event.per_outlet_limit:
            raise AccreditationError(
                "outlet_limit",
                _("%(outlet)s already has %(limit)s approved badges, the limit per outlet.")
                % {"outlet": request.outlet_name, "limit": event.per_outlet_limit},
            )
    visits = FieldVisit.objects.select_for_update().filter(
        pk__in=request.field_visits.values("pk"), capacity__gt=0
    )
    for visit in visits:
        taken = visit.badge_requests.filter(state=State.APPROVED).exclude(pk=request.pk).count()
        if taken >= visit.capacity:
            raise AccreditationError(
                "field_visit_full",
                _("The field visit “%(visit)s” is full (%(capacity)s places).")
                % {"visit": visit.display_name(), "capacity": visit.capacity},
            )


def _move(request: BadgeRequest, *, to: str, by, note: str) -> BadgeRequest:
    from_state = request.state
    request.state = to
    fields = ["state", "updated_at"]
    if by is not None or to != State.WITHDRAWN:
        request.decided_at = timezone.now()
        request.decided_by = by
        request.decision_note = note
        fields += ["decided_at", "decided_by", "decision_note"]
    request.save(update_fields=fields)
    BadgeRequestTransition.objects.create(
        request=request, from_state=from_state, to_state=to, by=by, note=note
    )
    enqueue_on_commit(badge_request_email, request.pk, EMAIL_FOR_STATE[to])
    return request
