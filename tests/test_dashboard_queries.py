"""The dashboard counts in the database: its number of queries is the same with one
request, delivery, check-in and coverage item as with 500 of each, and its figures
equal direct counts."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.checkin.models import CheckIn
from press.coverage.selectors import coverage_summary
from press.dashboard.selectors import arrivals_today, capacity_used
from tests.factories import OutletFactory
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory
from tests.test_dashboard_views import _fill

# Session, user, events, the figures' aggregates, charts, mailings: see the view.
DASHBOARD_QUERIES = 22


def _check_in(event, count, *, day):
    """Check in the first `count` approved requests of `event` not yet in on `day`."""
    requests = (
        BadgeRequest.objects.filter(event=event, state=BadgeRequestState.APPROVED)
        .exclude(check_ins__day=day)
        .order_by("pk")[:count]
    )
    now = timezone.now()
    CheckIn.objects.bulk_create(
        CheckIn(badge_request=request, day=day, at=now, desk="A") for request in requests
    )


def _dashboard(client, event):
    response = client.get(reverse("dashboard:index"), {"event": event.pk})
    assert response.status_code == 200
    return response


def test_dashboard_query_count_is_the_same_at_one_and_at_500_rows(
    officer_client, event, django_assert_num_queries
):
    outlet = OutletFactory()
    FieldVisitFactory(event=event)
    _fill(event, 4, outlet=outlet)  # one approved request among four
    _check_in(event, 1, day=timezone.localdate())
    _dashboard(officer_client, event)  # the session and content types, once
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = _dashboard(officer_client, event)
    assert small.context["arrivals"] == 1

    _fill(event, 2000, outlet=outlet)  # 500 more approved requests
    _check_in(event, 500, day=timezone.localdate())
    _check_in(event, 500, day=timezone.localdate() - dt.timedelta(days=1))
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = _dashboard(officer_client, event)
    assert large.context["arrivals"] == 501


def test_arrivals_today_counts_only_today(event):
    today = timezone.localdate()
    BadgeRequestFactory.create_batch(3, event=event, state=BadgeRequestState.APPROVED)
    _check_in(event, 3, day=today)
    _check_in(event, 2, day=today - dt.timedelta(days=1))
    other = BadgeRequestFactory(state=BadgeRequestState.APPROVED)
    _check_in(other.event, 1, day=today)

    assert arrivals_today(event=event) == 3
    assert (
        arrivals_today(event=event)
        == CheckIn.objects.filter(badge_request__event=event, day=today).count()
    )


def test_arrivals_today_is_one_query(event, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert arrivals_today(event=event) == 0


def test_capacity_per_day_is_counted_by_the_database(event, django_assert_num_queries):
    first, second, third = (day.isoformat() for day in event.days[:3])
    approved = BadgeRequestState.APPROVED
    BadgeRequestFactory(event=event, state=approved, days=[first, second])
    BadgeRequestFactory(event=event, state=approved, days=[second])
    BadgeRequestFactory(event=event, state=approved, days=[third])
    BadgeRequestFactory(event=event, state=BadgeRequestState.SUBMITTED, days=[first])

    with django_assert_num_queries(3):
        capacity = capacity_used(event=event)

    assert capacity["total"].used == 3
    per_day = {day.label: day.used for day in capacity["per_day"]}
    assert (per_day[first], per_day[second], per_day[third]) == (1, 2, 1)


def test_coverage_summary_counts_each_journalist_who_came_once(event):
    approved = BadgeRequestFactory.create_batch(3, event=event, state=BadgeRequestState.APPROVED)
    first, second = event.days[:2]
    _check_in(event, 2, day=first)
    _check_in(event, 1, day=second)  # the third request, on the second day
    _check_in(event, 3, day=second)  # and the other two again

    assert CheckIn.objects.filter(badge_request__in=approved).count() == 5
    assert coverage_summary(event=event).attended == 3


def test_coverage_summary_attendance_unknown_without_check_ins(event):
    BadgeRequestFactory(event=event, state=BadgeRequestState.APPROVED)
    assert coverage_summary(event=event).attended is None
