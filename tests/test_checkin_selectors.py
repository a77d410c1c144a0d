"""The reads the dashboard and the desk's lists call."""

import datetime as dt

import pytest
from django.utils import timezone

from press.accreditation.models import BadgeRequestState
from press.checkin.scanning import checkin_hold, checkin_hold_resolve, checkin_scan
from press.checkin.selectors import (
    checkin_arrivals,
    checkin_attended_request_ids,
    checkin_expected_not_arrived,
    checkin_holds,
    checkin_search,
    checkins_by_hour,
)
from tests.factories import UserFactory
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(is_staff=True)


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_checkin_arrivals_are_the_check_ins_of_that_day(user):
    event = event_today()
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    came = badge_for(approved_request(event, days=[yesterday, today]))
    checkin_scan(code=came.code, by=user, desk="A", scanned_at=_at(yesterday, 9), offline=True)
    checkin_scan(code=came.code, by=user, desk="A")
    other_event = badge_for(approved_request(event_today()))
    checkin_scan(code=other_event.code, by=user, desk="A")

    arrivals = list(checkin_arrivals(event=event, day=today))

    assert [(c.badge_request, c.day) for c in arrivals] == [(came.badge_request, today)]
    assert [c.day for c in checkin_arrivals(event=event, day=yesterday)] == [yesterday]


def test_checkin_expected_not_arrived(user):
    event = event_today()
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    arrived = badge_for(approved_request(event, last_name="Arrived"))
    waiting = approved_request(event, last_name="Waiting")
    every_day = approved_request(event, days=[], last_name="Every")
    approved_request(event, days=[tomorrow], last_name="Tomorrow")
    approved_request(event, last_name="Pending", state=BadgeRequestState.SUBMITTED)
    checkin_scan(code=arrived.code, by=user, desk="A")

    expected = list(checkin_expected_not_arrived(event=event, day=today))

    assert expected == [every_day, waiting]


def test_checkin_expected_not_arrived_outside_the_event_is_empty():
    event = event_today()
    approved_request(event, days=[])

    day_after = event.ends_on + dt.timedelta(days=1)
    assert list(checkin_expected_not_arrived(event=event, day=day_after)) == []


def test_checkin_holds_open_only_by_default(user):
    event = event_today()
    first = checkin_hold(badge_request=approved_request(event), by=user, note="Card")
    second = checkin_hold(badge_request=approved_request(event), by=user, note="Name")
    checkin_hold_resolve(hold=first, by=user)

    assert list(checkin_holds(event=event)) == [second]
    assert set(checkin_holds(event=event, open_only=False)) == {first, second}


def test_checkins_by_hour_counts_per_local_hour(user):
    event = event_today()
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    times = [_at(yesterday, 9, 5), _at(yesterday, 9, 55), _at(yesterday, 11, 0)]
    for at in times:
        badge = badge_for(approved_request(event, days=[yesterday]))
        checkin_scan(code=badge.code, by=user, desk="A", scanned_at=at, offline=True)

    assert checkins_by_hour(event=event) == [(_at(yesterday, 9), 2), (_at(yesterday, 11), 1)]


def test_checkin_attended_request_ids(user):
    event = event_today()
    came = badge_for(approved_request(event))
    approved_request(event)
    checkin_scan(code=came.code, by=user, desk="A")

    attended = checkin_attended_request_ids(event=event)
    # A query, counted or used in `pk__in=` by the database; each request once.
    assert list(attended) == [came.badge_request_id]
    assert attended.count() == 1


def test_checkin_search_by_name_and_outlet():
    event = event_today()
    zoe = approved_request(event, first_name="Zoë", last_name="O'Brien", outlet_name="Le Soir")
    badge_for(zoe)
    other = approved_request(event, first_name="Ольга", last_name="Иванова", outlet_name="RTBF")

    assert checkin_search(event=event, query="o'brien") == [zoe]
    assert checkin_search(event=event, query="zoë soir")[0].has_badge is True
    assert checkin_search(event=event, query="Ольга") == [other]
    assert checkin_search(event=event, query="z") == []
    assert checkin_search(event=event, query="nobody") == []
