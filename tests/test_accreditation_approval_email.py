"""The approval email confirms the days and field visits the journalist chose, and its
calendar file covers those days only, at the venue, in the event's time zone."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from press.accreditation.calendar import badge_collection_ics, day_ranges
from press.accreditation.decisions import accreditation_approve
from tests.factories import EventFactory
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory

FIRST = dt.date(2027, 3, 31)


@pytest.fixture
def reviewer(staff_user):
    return staff_user("Accreditation reviewer", username="sofia")


@pytest.fixture
def lisbon(db):
    return EventFactory(
        starts_on=FIRST,
        ends_on=FIRST + dt.timedelta(days=3),
        venue="Centro de Congressos",
        venue_names={"fr": "Centre de congrès", "en": "Congress centre"},
        address="Praça das Indústrias",
        city="Lisboa",
        city_names={"fr": "Lisbonne", "en": "Lisbon"},
    )


def _days(*offsets: int) -> list[str]:
    return [(FIRST + dt.timedelta(days=offset)).isoformat() for offset in offsets]


def _events(ics: str) -> list[tuple[str, str]]:
    """(DTSTART, DTEND) of each VEVENT."""
    starts = [line.split(":", 1)[1] for line in ics.split("\r\n") if line.startswith("DTSTART")]
    ends = [line.split(":", 1)[1] for line in ics.split("\r\n") if line.startswith("DTEND")]
    return list(zip(starts, ends, strict=True))


def test_day_ranges_group_consecutive_days():
    days = [FIRST + dt.timedelta(days=offset) for offset in (3, 0, 1, 1)]

    assert day_ranges(days) == [
        (FIRST, FIRST + dt.timedelta(days=1)),
        (FIRST + dt.timedelta(days=3),) * 2,
    ]
    assert day_ranges([]) == []


def test_calendar_has_one_event_per_run_of_chosen_days(lisbon):
    badge_request = BadgeRequestFactory(event=lisbon, days=_days(0, 1, 3), language="en")

    ics = badge_collection_ics(badge_request=badge_request).decode()

    assert _events(ics) == [("20270331", "20270402"), ("20270403", "20270404")]
    assert ics.count("BEGIN:VEVENT") == 2
    assert "X-WR-TIMEZONE:Europe/Brussels\r\n" in ics
    assert "LOCATION:Congress centre\\, Praça das Indústrias\\, Lisbon\r\n" in ics
    uids = [line for line in ics.split("\r\n") if line.startswith("UID:")]
    assert len(set(uids)) == 2


def test_calendar_of_consecutive_days_is_one_event_and_skips_unchosen_days(lisbon):
    badge_request = BadgeRequestFactory(event=lisbon, days=_days(1, 2), language="fr")

    ics = badge_collection_ics(badge_request=badge_request).decode()

    assert _events(ics) == [("20270401", "20270403")]
    assert "LOCATION:Centre de congrès\\, Praça das Indústrias\\, Lisbonne\r\n" in ics


def test_calendar_ignores_days_outside_the_event_and_falls_back_to_all_days(lisbon):
    outside = BadgeRequestFactory(event=lisbon, days=["2027-05-01"], language="en")
    none = BadgeRequestFactory(event=lisbon, days=[], language="en")

    assert _events(badge_collection_ics(badge_request=outside).decode()) == [
        ("20270331", "20270404")
    ]
    assert _events(badge_collection_ics(badge_request=none).decode()) == [("20270331", "20270404")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_approval_email_confirms_days_visits_and_venue(
    lisbon, reviewer, language, django_capture_on_commit_callbacks
):
    visit = FieldVisitFactory(
        event=lisbon,
        name={"fr": "Visite du port", "en": "Harbour visit"},
        starts_at=timezone.make_aware(dt.datetime(2027, 4, 1, 14, 30)),
    )
    FieldVisitFactory(event=lisbon, name={"fr": "Non choisie", "en": "Not chosen"})
    badge_request = BadgeRequestFactory(event=lisbon, days=_days(0, 2), language=language)
    badge_request.field_visits.add(visit)

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_approve(badge_request=badge_request, by=reviewer)

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    if language == "fr":
        assert "Jours\u202f: mercredi 31 mars 2027, vendredi 2 avril 2027" in message.body
        assert "Visites de terrain\u202f: Visite du port (1er avril 2027 à 14\xa0h\xa030)" in (
            message.body
        )
        assert "Lieu\u202f: Centre de congrès, Lisbonne" in message.body
        assert "Visite du port" in html
    else:
        assert "Days: Wednesday 31 March 2027, Friday 2 April 2027" in message.body
        assert "Field visits: Harbour visit (1 April 2027 at 14:30)" in message.body
        assert "Venue: Congress centre, Lisbon" in message.body
        assert "Harbour visit" in html
    assert "Not chosen" not in message.body
    assert "Non choisie" not in message.body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("badge.ics", "text/calendar")
    ics = content if isinstance(content, str) else content.decode()
    assert _events(ics) == [("20270331", "20270401"), ("20270402", "20270403")]
