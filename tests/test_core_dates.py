"""Dates, times and places in the reader's language; the event's sender on every email."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import translation

from press.accreditation.decisions import accreditation_approve
from press.core.dates import (
    date_long,
    date_range,
    date_short,
    datetime_long,
    datetime_short,
    day_month,
    day_of_week,
    time_range,
    time_short,
)
from press.mailings.rendering import sender_address
from tests.factories import EventFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.mailings import InvitationMailingFactory

B = "\u00a0"
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("start", "end", "french", "english"),
    [
        ((2024, 3, 20), (2024, 3, 22), "20–22 mars 2024", "20–22 March 2024"),
        ((2027, 3, 31), (2027, 4, 2), "du 31 mars au 2 avril 2027", "31 March – 2 April 2027"),
        (
            (2026, 12, 30),
            (2027, 1, 2),
            "du 30 décembre 2026 au 2 janvier 2027",
            "30 December 2026 – 2 January 2027",
        ),
        ((2027, 4, 1), (2027, 4, 3), "1er–3 avril 2027", "1–3 April 2027"),
        ((2027, 4, 1), (2027, 4, 1), "1er avril 2027", "1 April 2027"),
    ],
)
def test_date_range_reads_naturally_in_each_language(start, end, french, english):
    start, end = dt.date(*start), dt.date(*end)

    assert date_range(start, end, language="fr") == french
    assert date_range(start, end, language="en") == english


def test_date_long_writes_the_first_of_the_month_as_french_does():
    day = dt.date(2027, 4, 1)

    assert date_long(day, language="fr") == "1er avril 2027"
    assert date_long(day, weekday=True, language="fr") == "jeudi 1er avril 2027"
    assert date_long(day, weekday=True, language="en") == "Thursday 1 April 2027"
    assert date_long(dt.date(2027, 3, 31), language="fr") == "31 mars 2027"


def test_date_short_abbreviates_the_month_as_each_language_does():
    assert date_short(dt.date(2024, 11, 20), language="fr") == "20 nov."
    assert date_short(dt.date(2024, 11, 20), language="en") == "20 Nov"
    assert date_short(dt.date(2024, 3, 1), language="fr") == "1er mars"
    assert date_short(dt.date(2024, 7, 14), language="fr") == "14 juil."
    assert date_short(dt.date(2024, 3, 1), language="en") == "1 Mar"


def test_times_in_french_are_written_with_h_and_never_break():
    assert time_short(dt.time(9, 30), language="fr") == f"9{B}h{B}30"
    assert time_range(dt.time(8), dt.time(18), language="fr") == f"8{B}h – 18{B}h"
    assert time_short(dt.time(9, 30), language="en") == "9:30"
    assert time_range(dt.time(8), dt.time(18), language="en") == "8:00 – 18:00"


def test_datetime_long_is_in_the_office_time_zone():
    moment = dt.datetime(2027, 3, 31, 19, 0, tzinfo=dt.UTC)  # 21:00 in Brussels

    assert datetime_long(moment, language="fr") == f"31 mars 2027 à 21{B}h"
    assert datetime_long(moment, language="en") == "31 March 2027 at 21:00"
    assert datetime_long(moment, zone=True, language="en") == "31 March 2027 at 21:00 CEST"


def test_date_filters_follow_the_active_language():
    source = Template(
        "{% load presse %}{{ day|long_date }} | {{ day|long_date:'weekday' }} | "
        "{% date_range start end %}"
    )
    context = Context(
        {"day": dt.date(2027, 4, 1), "start": dt.date(2027, 3, 31), "end": dt.date(2027, 4, 2)}
    )

    with translation.override("fr"):
        french = source.render(context)
    with translation.override("en"):
        english = source.render(context)

    assert french == "1er avril 2027 | jeudi 1er avril 2027 | du 31 mars au 2 avril 2027"
    assert english == "1 April 2027 | Thursday 1 April 2027 | 31 March – 2 April 2027"


@pytest.mark.django_db
def test_event_city_and_venue_in_the_reader_language_with_fallback():
    event = EventFactory(
        city="Lisboa",
        city_names={"fr": "Lisbonne", "en": "Lisbon"},
        venue="Centro de Congressos",
        venue_names={"fr": "Centre de congrès"},
    )

    with translation.override("fr"):
        assert (event.city_local, event.venue_local) == ("Lisbonne", "Centre de congrès")
    with translation.override("en"):
        # No English venue: the French one, as for every translated field.
        assert (event.city_local, event.venue_local) == ("Lisbon", "Centre de congrès")
    assert EventFactory(city="Bruxelles").city_local == "Bruxelles"


@pytest.mark.django_db
def test_pages_show_the_event_place_and_dates_in_the_reader_language(client):
    EventFactory(
        starts_on=dt.date(2027, 3, 31),
        ends_on=dt.date(2027, 4, 2),
        city="Lisboa",
        city_names={"fr": "Lisbonne", "en": "Lisbon"},
        venue_names={"fr": "Centre de congrès", "en": "Congress Centre"},
    )

    french = client.get("/fr/").content.decode()
    english = client.get("/en/").content.decode()

    assert "Lisbonne · du 31 mars au 2 avril 2027" in french
    assert "du 31 mars au 2 avril 2027, Centre de congrès, Lisbonne." in french
    assert "Lisbon · 31 March – 2 April 2027" in english
    assert "<p>Congress Centre, Lisbon</p>" in english
    assert "Lisboa" not in english


@pytest.fixture
def lisbon(db):
    return EventFactory(
        starts_on=dt.date(2027, 3, 31),
        ends_on=dt.date(2027, 4, 2),
        city="Lisboa",
        city_names={"fr": "Lisbonne", "en": "Lisbon"},
        sender_name="Presse Lisbonne 2027",
        sender_email="presse@lisbon.example",
    )


def approve(badge_request, officer, capture):
    with capture(execute=True):
        accreditation_approve(badge_request=badge_request, by=officer)
    return mail.outbox[-1]


def test_accreditation_email_comes_from_the_event_sender_in_the_reader_language(
    lisbon, officer, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=lisbon, language="en")

    message = approve(badge_request, officer, django_capture_on_commit_callbacks)

    assert message.from_email == "Presse Lisbonne 2027 <presse@lisbon.example>"
    assert "31 March – 2 April 2027 · Lisbon" in message.body
    assert "Lisboa" not in message.body


def test_accreditation_email_without_event_sender_uses_the_default(
    event, officer, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Office <office@default.example>"
    badge_request = BadgeRequestFactory(event=event)

    message = approve(badge_request, officer, django_capture_on_commit_callbacks)

    assert message.from_email == "Office <office@default.example>"


def test_accreditation_email_event_with_only_an_address_keeps_the_default_name(
    officer, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Office <office@default.example>"
    badge_request = BadgeRequestFactory(event=EventFactory(sender_email="p@event.example"))

    message = approve(badge_request, officer, django_capture_on_commit_callbacks)

    assert message.from_email == "Office <p@event.example>"


@pytest.mark.django_db
def test_mailing_sender_is_its_own_then_its_event_then_the_default(lisbon, settings):
    settings.DEFAULT_FROM_EMAIL = "Office <office@default.example>"
    own = InvitationMailingFactory(event=lisbon, sender_name="Me", sender_email="me@x.example")
    from_event = InvitationMailingFactory(event=lisbon, sender_name="", sender_email="")
    from_nothing = InvitationMailingFactory(event=None, sender_name="", sender_email="")

    assert sender_address(own) == "Me <me@x.example>"
    assert sender_address(from_event) == "Presse Lisbonne 2027 <presse@lisbon.example>"
    assert sender_address(from_nothing) == "Office <office@default.example>"


def test_days_of_the_week_and_short_moments_write_the_first_as_french_does():
    first = dt.date(2027, 4, 1)
    moment = dt.datetime(2027, 4, 1, 8, 5, tzinfo=BRUSSELS)

    assert day_of_week(first, language="fr") == "jeudi 1er avril"
    assert day_of_week(first, short=True, language="fr") == "jeu 1er"
    assert day_of_week(first, language="en") == "Thursday 1 April"
    assert day_of_week(first, short=True, language="en") == "Thu 1"
    assert day_month(first, language="fr") == "1er avril"
    assert datetime_short(moment, language="fr") == f"1er avril à 8{B}h{B}05"
    assert datetime_short(moment, language="en") == "1 April at 8:05"
