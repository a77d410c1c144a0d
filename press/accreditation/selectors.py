"""Reads of the accreditation area that span relations: how full an outlet, a field
visit or the event is. The review queue, the form and the decisions all count here,
so that what a reviewer sees and what approving refuses always agree."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Lower

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest, FieldVisit, ReviewChecklist
from press.events.models import Event

State = BadgeRequestState


def _count(queryset: QuerySet) -> Subquery:
    return Subquery(
        queryset.order_by().values("event").annotate(count=Count("pk")).values("count"),
        output_field=IntegerField(),
    )


def with_outlet_approved(queryset: QuerySet) -> QuerySet:
    """Badge requests annotated `outlet_approved`: the approved requests of the same
    outlet for the same event, this one left out. The same outlet is the same known
    outlet of the media file or, for an outlet the file does not know, the same name
    (any case) in the same country."""
    approved = BadgeRequest.objects.filter(event=OuterRef("event"), state=State.APPROVED).exclude(
        pk=OuterRef("pk")
    )
    known = approved.filter(outlet=OuterRef("outlet"))
    unknown = (
        approved.filter(outlet__isnull=True, outlet_country=OuterRef("outlet_country"))
        .annotate(name_folded=Lower("outlet_name"))
        .filter(name_folded=Lower(OuterRef("outlet_name")))
    )
    return queryset.annotate(
        outlet_approved=Case(
            When(outlet__isnull=False, then=Coalesce(_count(known), 0)),
            default=Coalesce(_count(unknown), 0),
            output_field=IntegerField(),
        )
    )


def outlet_approved_count(badge_request: BadgeRequest) -> int:
    """with_outlet_approved for one request."""
    return with_outlet_approved(BadgeRequest.objects.filter(pk=badge_request.pk)).values_list(
        "outlet_approved", flat=True
    )[0]


def outlet_limit_reached(*, approved: int, limit: int) -> bool:
    """Whether an outlet with `approved` badges may have no more (limit 0: no limit)."""
    return bool(limit) and approved >= limit


def with_field_visit_occupancy(queryset: QuerySet) -> QuerySet:
    """Field visits annotated `approved_count` (places taken) and `requested_count`
    (requests still active that chose it)."""
    return queryset.annotate(
        approved_count=Count("badge_requests", filter=Q(badge_requests__state=State.APPROVED)),
        requested_count=Count("badge_requests", filter=Q(badge_requests__state__in=State.active())),
    )


def field_visit_is_full(visit: FieldVisit) -> bool:
    """A visit from with_field_visit_occupancy whose press places are all approved."""
    approved: int = getattr(visit, "approved_count")  # noqa: B009 - an annotation
    return bool(visit.capacity) and approved >= visit.capacity


def field_visits_full(*, event: Event) -> set[int]:
    """Ids of the event's field visits whose press places are all approved."""
    visits = with_field_visit_occupancy(FieldVisit.objects.filter(event=event, capacity__gt=0))
    return {visit.pk for visit in visits if field_visit_is_full(visit)}


def event_capacity(*, event: Event) -> dict:
    """How full the event is, for the review queue: approved badges against the press
    capacity (`capacity` 0: no limit, `left` None), approved badges on each day, and
    each field visit's approved places (`approved_count`) against its own capacity."""
    approved_days = BadgeRequest.objects.filter(event=event, state=State.APPROVED).values_list(
        "days", flat=True
    )
    per_day = dict.fromkeys((day.isoformat() for day in event.days), 0)
    approved = 0
    for days in approved_days:
        approved += 1
        for day in days:
            if day in per_day:
                per_day[day] += 1
    capacity = event.press_capacity
    return {
        "approved": approved,
        "capacity": capacity,
        "left": max(capacity - approved, 0) if capacity else None,
        "days": [(day, per_day[day.isoformat()]) for day in event.days],
        "visits": list(with_field_visit_occupancy(FieldVisit.objects.filter(event=event))),
    }


def returning_request(*, email: str, event: Event) -> BadgeRequest | None:
    """The last approved request of the same address (any case) at an earlier edition:
    a returning journalist. Looks the address up through Lower(email), which the
    one-request-per-address index serves."""
    return (
        BadgeRequest.objects.alias(email_folded=Lower("email"))
        .filter(
            email_folded=email.strip().lower(),
            state=State.APPROVED,
            event__starts_on__lt=event.starts_on,
        )
        .select_related("event")
        .order_by("-event__starts_on", "-pk")
        .first()
    )


def waitlist_place(badge_request: BadgeRequest) -> int | None:
    """Where a waitlisted request stands on its event's waiting list (1 = next to be
    approved when a place becomes free), in the order promotion follows; None for a
    request that is not waiting or whose place was never recorded."""
    if badge_request.state != State.WAITLISTED or badge_request.waitlist_position is None:
        return None
    ahead = BadgeRequest.objects.filter(
        event_id=badge_request.event_id,
        state=State.WAITLISTED,
        waitlist_position__lt=badge_request.waitlist_position,
    )
    return ahead.count() + 1


def status_stage(badge_request: BadgeRequest) -> str:
    """What the status page leads with: the request's state, except that a submitted
    request is "received" until a reviewer starts its checklist, then "under_review"."""
    if badge_request.state != State.SUBMITTED:
        return badge_request.state
    reviewed = ReviewChecklist.objects.filter(badge_request=badge_request).exists()
    return "under_review" if reviewed else "received"


def note_to_journalist(badge_request: BadgeRequest) -> str:
    """The press office's note to the journalist (the reason of a rejection, a word
    with an approval); never the office's own record of a move (transition notes,
    checklist, selection). A request the journalist withdrew shows no note: the one
    stored is from an earlier decision."""
    if badge_request.state == State.WITHDRAWN:
        last = badge_request.transitions.order_by("-at", "-pk").first()
        if last is None or last.by_id is None:
            return ""
    return badge_request.decision_note.strip()
