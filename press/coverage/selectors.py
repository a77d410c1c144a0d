"""Reads of the coverage area that span relations: who was accredited and attended,
who published, and a journalist's record over earlier editions. The dashboard and
the report read through these."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from contacts.models import Journalist
from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.checkin.selectors import checkin_attended_request_ids
from press.core.lookups import same_text
from press.coverage.models import CoverageInvitation, CoverageItem
from press.events.models import Event
from press.mailings.enums import DeliveryState, MailingKind
from press.mailings.models import Mailing


def attended_request_ids(*, event: Event) -> QuerySet[Any, int] | None:
    """The ids of the badge requests whose journalist came (checked in at the desk), as
    a query for `pk__in=` or `.count()`, or None while the office has no check-in
    records for this event."""
    attended = checkin_attended_request_ids(event=event)
    return attended if attended.exists() else None


def accredited_requests(*, event: Event) -> QuerySet[BadgeRequest]:
    """Approved badge requests of `event` that are tied to a journalist of the file."""
    return BadgeRequest.objects.filter(
        event=event, state=BadgeRequestState.APPROVED, journalist__isnull=False
    )


def _invitee_requests(*, event: Event) -> QuerySet[BadgeRequest]:
    requests = accredited_requests(event=event)
    attended = attended_request_ids(event=event)
    if attended is not None:
        requests = requests.filter(pk__in=attended)
    return requests


def coverage_invitees_to_ask(*, event: Event) -> QuerySet[Journalist]:
    """Who is asked for coverage and has not been asked yet: accredited journalists of
    `event` who may still be mailed and, once check-ins are known, only those who came.
    A query: the back office counts it in SQL, asking lists it."""
    ids = _invitee_requests(event=event).values("journalist_id")
    asked = CoverageInvitation.objects.filter(event=event).values("journalist_id")
    return (
        Journalist.objects.mailable()
        .filter(pk__in=ids)
        .exclude(pk__in=asked)
        .order_by("last_name", "pk")
    )


def attended_without_coverage(*, event: Event) -> QuerySet[BadgeRequest]:
    """Accredited journalists who came (every accredited one while attendance is not
    known) and have no coverage item for the event, by name, as a query (the back
    office shows it a page at a time)."""
    published = CoverageItem.objects.filter(event=event, journalist__isnull=False).values(
        "journalist_id"
    )
    return (
        _invitee_requests(event=event)
        .exclude(journalist_id__in=published)
        .order_by("last_name", "pk")
    )


@dataclass(frozen=True)
class EditionRecord:
    event: Event
    accredited: bool
    attended: bool | None  # None: no check-in record for that edition
    coverage_count: int


def journalist_track_record(*, journalist: Journalist, before_event: Event) -> list[EditionRecord]:
    """Per earlier edition (started before `before_event`) in which the journalist
    asked for a badge or published: accredited or not, attended (None when unknown),
    and how many coverage items they have for it. Newest edition first."""
    earlier = Event.objects.filter(starts_on__lt=before_event.starts_on).order_by("-starts_on")
    badge_requests = {
        badge_request.event_id: badge_request
        for badge_request in BadgeRequest.objects.filter(
            Q(journalist=journalist) | Q(same_text("email", journalist.email)),
            event__in=earlier,
        ).order_by("submitted_at")
    }
    counts = dict(
        CoverageItem.objects.filter(journalist=journalist, event__in=earlier)
        .values("event")
        .annotate(count=Count("pk"))
        .values_list("event", "count")
    )
    records = []
    for event in earlier.filter(pk__in={*badge_requests, *counts}):
        badge_request = badge_requests.get(event.pk)
        accredited = badge_request is not None and badge_request.state == BadgeRequestState.APPROVED
        attended: bool | None = None
        if accredited and badge_request is not None:
            ids = attended_request_ids(event=event)
            attended = (
                None if ids is None else ids.filter(badge_request_id=badge_request.pk).exists()
            )
        records.append(
            EditionRecord(
                event=event,
                accredited=accredited,
                attended=attended if accredited else False,
                coverage_count=counts.get(event.pk, 0),
            )
        )
    return records


def _grouped(
    queryset: QuerySet[CoverageItem], field: str, limit: int | None = None
) -> list[tuple[str, int]]:
    rows = (
        queryset.order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .order_by("-count", field)
        .values_list(field, "count")
    )
    if limit:
        rows = rows[:limit]
    return [(value or "", count) for value, count in rows]


def coverage_by(*, event: Event, dimension: str, limit: int | None = None) -> list[tuple[str, int]]:
    """Coverage items of `event` counted by "country", "language", "kind" or "outlet"
    (the outlet's name as published), largest first: [(code or name, count)]; an item
    without the value counts under ""."""
    field = {"country": "country", "language": "language", "kind": "kind", "outlet": "outlet_name"}
    return _grouped(CoverageItem.objects.filter(event=event), field[dimension], limit)


@dataclass(frozen=True)
class ReleaseResult:
    title: str
    sent: int
    opened: int
    clicked: int

    @property
    def open_rate(self) -> float | None:
        return self.opened / self.sent if self.sent else None

    @property
    def click_rate(self) -> float | None:
        return self.clicked / self.sent if self.sent else None


def release_results(*, event: Event) -> list[ReleaseResult]:
    """Each release mailing of `event` that went out, with its opens and clicks; the
    rates are of the messages the provider accepted (one query)."""
    mailings = (
        Mailing.objects.filter(event=event, kind=MailingKind.RELEASE, started_at__isnull=False)
        .select_related("release")
        .prefetch_related("release__versions")
        .annotate(
            sent_count=Count(
                "deliveries", filter=Q(deliveries__state__in=DeliveryState.handed_over())
            ),
            opened_count=Count("deliveries", filter=Q(deliveries__opened_at__isnull=False)),
            clicked_count=Count("deliveries", filter=Q(deliveries__clicked_at__isnull=False)),
        )
        .order_by("started_at", "pk")
    )
    return [
        ReleaseResult(
            title=str(mailing),
            sent=mailing.sent_count,
            opened=mailing.opened_count,
            clicked=mailing.clicked_count,
        )
        for mailing in mailings
    ]


@dataclass(frozen=True)
class CoverageSummary:
    event: Event
    requests: int
    accredited: int
    attended: int | None  # None: check-ins not recorded
    items: int
    estimated_audience: int
    by_country: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_outlet: list[tuple[str, int]]
    releases: list[ReleaseResult]


def coverage_summary(*, event: Event) -> CoverageSummary:
    """The figures of the post-event report."""
    counts = BadgeRequest.objects.filter(event=event).aggregate(
        requests=Count("pk"), accredited=Count("pk", filter=Q(state=BadgeRequestState.APPROVED))
    )
    attended = attended_request_ids(event=event)
    items = CoverageItem.objects.filter(event=event).aggregate(
        count=Count("pk"), audience=Sum("estimated_audience")
    )
    return CoverageSummary(
        event=event,
        requests=counts["requests"],
        accredited=counts["accredited"],
        attended=None if attended is None else attended.count(),
        items=items["count"],
        estimated_audience=items["audience"] or 0,
        by_country=coverage_by(event=event, dimension="country"),
        by_language=coverage_by(event=event, dimension="language"),
        by_kind=coverage_by(event=event, dimension="kind"),
        by_outlet=coverage_by(event=event, dimension="outlet", limit=15),
        releases=release_results(event=event),
    )
