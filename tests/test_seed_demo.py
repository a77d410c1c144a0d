import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"contacts", "events", "releases", "mailings", "accreditation", "auth"}
    }


def test_seed_demo_builds_a_believable_office():
    call_command("seed_demo", stdout=io.StringIO())
    counts = row_counts()
    assert counts["events.Event"] == 2
    assert counts["contacts.Outlet"] >= 30
    assert counts["contacts.Journalist"] >= 150
    assert counts["contacts.ContactList"] == 3
    assert counts["releases.Release"] >= 3
    from contacts.models import Journalist

    assert set(Journalist.objects.values_list("language", flat=True)) == {"fr", "en"}


def test_seed_demo_has_the_2024_edition_and_an_open_next_one():
    from press.accreditation.models import BadgeRequest
    from press.events.models import Event
    from press.events.selectors import current_event

    call_command("seed_demo", stdout=io.StringIO())
    brussels = Event.objects.get(slug="brussels-2024")
    assert (brussels.starts_on.isoformat(), brussels.ends_on.isoformat()) == (
        "2024-03-20",
        "2024-03-22",
    )
    assert brussels.city == "Bruxelles"
    # The organiser's logo the emails show is a real image on each edition.
    with brussels.logo.open("rb") as logo:
        assert logo.read(8) == b"\x89PNG\r\n\x1a\n"
    upcoming = current_event()
    assert upcoming.logo
    assert upcoming.slug == "lisboa-2027"
    assert upcoming.accreditation_is_open() is True
    for event in (brussels, upcoming):
        states = set(BadgeRequest.objects.filter(event=event).values_list("state", flat=True))
        assert states == {
            "submitted",
            "approved",
            "waitlisted",
            "rejected",
            "withdrawn",
            "cancelled",
        }


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == first
