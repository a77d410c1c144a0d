"""What the dashboard counts, per event, through the areas' own models and selectors.

Every figure is one aggregate query (or a fixed handful), whatever the number of
requests, deliveries, check-ins or coverage items: the dashboard's query count does
not grow with the data (tests/test_dashboard_queries.py holds it).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest, FieldVisit
from press.accreditation.selectors import with_field_visit_occupancy, with_outlet_approved
from press.checkin import selectors as checkin_selectors
from press.coverage.selectors import coverage_by
from press.events.models import Event
from press.mailings.enums import DeliveryState, MailingState
from press.mailings.models import Mailing
from press.releases.enums import ReleaseStatus
from press.releases.models import Release

State = BadgeRequestState


@dataclass(frozen=True)
class Occupancy:
    label: str
    used: int
    capacity: int  # 0: no limit
    link_query: dict[str, str] = field(default_factory=dict)

    @property
    def percent(self) -> int | None:
        return round(100 * self.used / self.capacity) if self.capacity else None


def requests_waiting(*, event: Event) -> dict[str, int]:
    """Requests waiting for a decision, and those among them a reviewer should look at
    twice (the review queue's flags: invitation used by another address, unknown
    outlet, outlet at its limit). One query."""
    over_limit = Q(event__per_outlet_limit__gt=0, outlet_approved__gte=F("event__per_outlet_limit"))
    flagged = Q(invitation_other_email=True) | Q(outlet__isnull=True) | over_limit
    queryset = with_outlet_approved(BadgeRequest.objects.filter(event=event, state=State.SUBMITTED))
    return queryset.aggregate(waiting=Count("pk"), flagged=Count("pk", filter=flagged))


def capacity_used(*, event: Event) -> dict[str, Any]:
    """Approved badges against the press capacity, per day, per field visit, and the
    outlets at their limit. Three queries, counted in the database."""
    approved = BadgeRequest.objects.filter(event=event, state=State.APPROVED)
    days = [day.isoformat() for day in event.days]
    # The chosen days are a JSON list of ISO dates per request; a day is counted where
    # the list's text holds it quoted, which every database answers in one aggregate.
    counts = approved.aggregate(
        total=Count("pk"),
        **{
            f"day_{index}": Count("pk", filter=Q(days__icontains=f'"{day}"'))
            for index, day in enumerate(days)
        },
    )
    total = counts["total"]
    per_day_counts = {day: counts[f"day_{index}"] for index, day in enumerate(days)}
    per_day = [
        Occupancy(
            label=day,
            used=count,
            capacity=event.press_capacity,
            link_query={"state__exact": State.APPROVED, "day": day},
        )
        for day, count in per_day_counts.items()
    ]
    visits = [
        Occupancy(
            label=visit.display_name(),
            used=visit.approved_count,
            capacity=visit.capacity,
            link_query={"event__id__exact": str(event.pk)},
        )
        for visit in with_field_visit_occupancy(FieldVisit.objects.filter(event=event))
    ]
    outlets_at_limit = 0
    if event.per_outlet_limit:
        known = (
            approved.filter(outlet__isnull=False)
            .values("outlet")
            .annotate(count=Count("pk"))
            .filter(count__gte=event.per_outlet_limit)
        )
        outlets_at_limit = known.count()
    return {
        "total": Occupancy(
            label="",
            used=total,
            capacity=event.press_capacity,
            link_query={"state__exact": State.APPROVED},
        ),
        "per_day": per_day,
        "field_visits": visits,
        "outlets_at_limit": outlets_at_limit,
    }


def mailings_in_progress(*, event: Event) -> list[Mailing]:
    """Mailings of the event sending now or scheduled, soonest first."""
    return list(
        Mailing.objects.filter(
            Q(event=event) | Q(event__isnull=True),
            state__in=[MailingState.SENDING, MailingState.SCHEDULED],
        )
        .select_related("release")
        .prefetch_related("release__versions")
        .order_by(F("scheduled_at").asc(nulls_first=True), "pk")
    )


def embargoes_lifting(*, event: Event, hours: int = 48) -> list[Release]:
    """Releases of the event whose embargo lifts within `hours` from now."""
    now = timezone.now()
    return list(
        Release.objects.filter(
            event=event,
            status__in=ReleaseStatus.may_be_public(),
            embargo_until__gt=now,
            embargo_until__lte=now + dt.timedelta(hours=hours),
        )
        .prefetch_related("versions")
        .order_by("embargo_until", "pk")
    )


@dataclass(frozen=True)
class Funnel:
    mailing: Mailing
    sent: int
    delivered: int
    opened: int
    clicked: int

    def steps(self) -> list[tuple[str, int, float | None]]:
        """(step, count, rate of the previous step)."""
        steps = [("sent", self.sent), ("delivered", self.delivered), ("opened", self.opened)]
        steps.append(("clicked", self.clicked))
        out: list[tuple[str, int, float | None]] = []
        previous: int | None = None
        for name, count in steps:
            rate = (count / previous) if previous else None
            out.append((name, count, rate))
            previous = count
        return out


def mailing_funnels(*, event: Event, limit: int = 5) -> list[Funnel]:
    """The last mailings of the event that started sending, newest first, each with
    sent → delivered → opened → clicked. One query."""
    mailings = (
        Mailing.objects.filter(event=event, started_at__isnull=False)
        .select_related("release")
        .prefetch_related("release__versions")
        .annotate(
            sent_count=Count(
                "deliveries", filter=Q(deliveries__state__in=DeliveryState.handed_over())
            ),
            delivered_count=Count("deliveries", filter=Q(deliveries__delivered_at__isnull=False)),
            opened_count=Count("deliveries", filter=Q(deliveries__opened_at__isnull=False)),
            clicked_count=Count("deliveries", filter=Q(deliveries__clicked_at__isnull=False)),
        )
        .order_by("-started_at", "-pk")[:limit]
    )
    return [
        Funnel(
            mailing=mailing,
            sent=mailing.sent_count,
            delivered=mailing.delivered_count,
            opened=mailing.opened_count,
            clicked=mailing.clicked_count,
        )
        for mailing in mailings
    ]


def _grouped(queryset: QuerySet, field_name: str) -> list[tuple[str, int]]:
    rows = (
        queryset.order_by()
        .values(field_name)
        .annotate(count=Count("pk"))
        .order_by("-count", field_name)
        .values_list(field_name, "count")
    )
    return [(str(value or ""), count) for value, count in rows]


def requests_by(*, event: Event, dimension: str) -> list[tuple[str, int]]:
    """Badge requests of the event counted by "state", "country" (the outlet's),
    "outlet_kind" or "day" (submitted on); largest first, days in order. One query."""
    requests = BadgeRequest.objects.filter(event=event)
    if dimension == "day":
        rows = (
            requests.annotate(day=TruncDate("submitted_at"))
            .order_by()
            .values("day")
            .annotate(count=Count("pk"))
            .order_by("day")
            .values_list("day", "count")
        )
        return [(day.isoformat(), count) for day, count in rows]
    fields = {"state": "state", "country": "outlet_country", "outlet_kind": "outlet_kind"}
    return _grouped(requests, fields[dimension])


def arrivals_today(*, event: Event) -> int:
    """Badges checked in today, counted by the database (one query)."""
    return checkin_selectors.checkin_arrivals(event=event, day=timezone.localdate()).count()


def checkins_by_hour(*, event: Event) -> list[tuple[str, int]]:
    """Check-ins per hour (local time)."""
    return [
        (timezone.localtime(hour).strftime("%Y-%m-%d %H:00"), count)
        for hour, count in checkin_selectors.checkins_by_hour(event=event)
    ]


def coverage_counts(*, event: Event, dimension: str) -> list[tuple[str, int]]:
    """Coverage items counted by "country", "language" or "kind" (the coverage area's
    selector)."""
    return coverage_by(event=event, dimension=dimension)
