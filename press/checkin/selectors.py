"""Reads of the check-in area: who arrived, who is expected, who is held. The dashboard
and the desk's lists call these; none of them writes."""

import datetime as dt

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, When
from django.db.models.functions import TruncHour
from django.utils import timezone

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.badges.enums import BadgeState
from press.badges.models import Badge
from press.checkin.models import CheckIn, Hold
from press.events.models import Event


def checkin_request_days(badge_request: BadgeRequest) -> list[dt.date]:
    """The days a request may come in: the days it chose that are days of its event;
    a request that chose no day may come on every day of the event."""
    event_days = badge_request.event.days
    chosen = set(badge_request.attending_days())
    if not chosen:
        return event_days
    return [day for day in event_days if day in chosen]


def checkin_arrivals(*, event: Event, day: dt.date) -> QuerySet[CheckIn]:
    """The check-ins of that day, latest first, with the request and who let them in."""
    return (
        CheckIn.objects.filter(badge_request__event=event, day=day)
        .select_related("badge_request", "by")
        .order_by("-at", "-pk")
    )


def checkin_expected_not_arrived(*, event: Event, day: dt.date) -> QuerySet[BadgeRequest]:
    """Approved requests expected on that day that have no check-in for it yet, by name."""
    approved = BadgeRequest.objects.filter(event=event, state=BadgeRequestState.APPROVED)
    iso = day.isoformat()
    # The chosen days are a JSON list; reading them is portable across databases where
    # a JSON "contains" lookup is not (SQLite has none).
    expected = [pk for pk, days in approved.values_list("pk", "days") if not days or iso in days]
    if day not in event.days:
        expected = []
    return (
        approved.filter(pk__in=expected)
        .exclude(check_ins__day=day)
        .order_by("last_name", "first_name", "pk")
    )


def checkin_holds(*, event: Event, open_only: bool = True) -> QuerySet[Hold]:
    """Holds of the event's journalists, the open ones only unless told otherwise."""
    holds = Hold.objects.filter(badge_request__event=event).select_related(
        "badge_request", "created_by", "resolved_by"
    )
    if open_only:
        holds = holds.filter(resolved_at__isnull=True)
    return holds.order_by("-created_at", "-pk")


def checkins_by_hour(*, event: Event) -> list[tuple[dt.datetime, int]]:
    """Check-ins of the event counted per hour of the office's time zone, in order."""
    rows = (
        CheckIn.objects.filter(badge_request__event=event)
        .annotate(hour=TruncHour("at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(count=Count("pk"))
        .order_by("hour")
    )
    return [(row["hour"], row["count"]) for row in rows]


def checkin_attended_request_ids(*, event: Event) -> QuerySet[CheckIn, int]:
    """Ids of the event's badge requests checked in on at least one day, as a query
    (use it in `pk__in=`, or `.count()` it: the ids are never loaded)."""
    return (
        CheckIn.objects.filter(badge_request__event=event)
        .order_by()
        .values_list("badge_request_id", flat=True)
        .distinct()
    )


def checkin_open_hold(badge_request: BadgeRequest) -> Hold | None:
    return Hold.objects.filter(badge_request=badge_request, resolved_at__isnull=True).first()


SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 20


def checkin_search(*, event: Event, query: str) -> list[BadgeRequest]:
    """Requests of the event whose names or outlet contain every word of `query` (at
    least two letters), approved first; each says whether it has a valid badge."""
    words = query.split()
    if len(query.strip()) < SEARCH_MIN_LENGTH or not words:
        return []
    requests = BadgeRequest.objects.filter(event=event)
    for word in words[:5]:
        requests = requests.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(outlet_name__icontains=word)
        )
    active = Badge.objects.filter(badge_request=OuterRef("pk"), state=BadgeState.ACTIVE)
    rows: list[BadgeRequest] = list(
        requests.annotate(has_badge=Exists(active))
        .annotate(
            approved_first=Case(
                When(state=BadgeRequestState.APPROVED, then=0),
                default=1,
                output_field=IntegerField(),
            )
        )
        .order_by("approved_first", "last_name", "first_name", "pk")[:SEARCH_LIMIT]
    )
    return rows
