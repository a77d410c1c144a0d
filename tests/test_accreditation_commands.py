import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from press.accreditation.models import BadgeRequest, BadgeRequestState, FieldVisit
from press.demo.accreditation import seed_accreditation
from press.demo.contacts import seed_contacts
from press.demo.event import seed_event
from tests.factories import EventFactory
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory


@pytest.fixture(autouse=True)
def _french():
    # Messages are asserted in French, the office's default language.
    with translation.override("fr"):
        yield


pytestmark = pytest.mark.django_db
State = BadgeRequestState


def _past_event(**kwargs):
    return EventFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=60),
        ends_on=timezone.localdate() - dt.timedelta(days=58),
        **kwargs,
    )


def test_export_accreditations_writes_approved_requests(tmp_path):
    event = EventFactory(slug="brussels")
    visit = FieldVisitFactory(event=event, name={"fr": "Centre de crise", "en": "Crisis centre"})
    approved = BadgeRequestFactory(
        event=event, last_name="Zeller", first_name="Ana", state=State.APPROVED
    )
    approved.field_visits.add(visit)
    BadgeRequestFactory(
        event=event, last_name="Abel", state=State.APPROVED, equipment=["tripod", "live"]
    )
    BadgeRequestFactory(event=event, last_name="Pending")
    BadgeRequestFactory(last_name="Elsewhere", state=State.APPROVED)
    out = tmp_path / "accreditations.xlsx"
    stdout = io.StringIO()

    call_command("export_accreditations", str(out), "--event", "brussels", stdout=stdout)

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Abel", "Zeller"]
    assert rows[2][1] == "Ana"
    assert rows[2][12] == "Centre de crise"
    assert rows[1][13] == "Trépied, Transmission en direct"
    assert "2 badge requests of brussels written" in stdout.getvalue()


def test_export_accreditations_every_state(tmp_path):
    event = EventFactory(slug="brussels")
    BadgeRequestFactory(event=event, state=State.APPROVED)
    BadgeRequestFactory(event=event, state=State.REJECTED)
    out = tmp_path / "all.xlsx"

    call_command(
        "export_accreditations", str(out), "--event", "brussels", "--all", stdout=io.StringIO()
    )

    assert load_workbook(out).active.max_row == 3


def test_export_accreditations_unknown_event_fails(tmp_path):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("export_accreditations", str(tmp_path / "x.xlsx"), "--event", "nope")


def test_purge_command_reports_what_it_removed(settings):
    settings.IDENTITY_DOCUMENT_RETENTION_DAYS = 30
    old = _past_event(slug="old")
    BadgeRequestFactory.create_batch(2, event=old)
    current = BadgeRequestFactory()
    stdout = io.StringIO()

    call_command("purge_identity_documents", stdout=stdout)

    assert stdout.getvalue() == "old: removed 2 press cards, 0 letters.\n"
    assert set(BadgeRequest.objects.filter(event=old).values_list("press_card", flat=True)) == {""}
    current.refresh_from_db()
    assert current.press_card


def test_purge_command_with_photos(settings):
    settings.IDENTITY_DOCUMENT_RETENTION_DAYS = 30
    _past_event(slug="old")
    BadgeRequestFactory(event=_past_event(slug="older"))
    stdout = io.StringIO()

    call_command("purge_identity_documents", "--event", "older", "--photos", stdout=stdout)

    assert stdout.getvalue() == "older: removed 1 press card, 0 letters, 1 photo.\n"


def test_purge_command_refuses_an_event_too_recent(settings, event):
    settings.IDENTITY_DOCUMENT_RETENTION_DAYS = 30
    BadgeRequestFactory(event=event)

    with pytest.raises(CommandError, match="peuvent être supprimées à partir du"):
        call_command("purge_identity_documents", "--event", event.slug)

    assert BadgeRequest.objects.get().press_card


def test_purge_command_with_nothing_due(settings, event):
    stdout = io.StringIO()

    call_command("purge_identity_documents", stdout=stdout)

    assert stdout.getvalue().startswith("No event is past its retention period")


def test_demo_has_requests_in_every_state_and_is_idempotent():
    event = seed_event()
    seed_contacts()

    first = seed_accreditation(event)
    again = seed_accreditation(event)

    assert first == {"field_visits": 3, "badge_requests": 16}
    assert again == {"field_visits": 3, "badge_requests": 0}
    assert set(BadgeRequest.objects.values_list("state", flat=True)) == set(State.values)
    assert FieldVisit.objects.filter(event=event).count() == 3
    request = BadgeRequest.objects.filter(state=State.APPROVED).first()
    assert request.photo.storage.exists(request.photo.name)
    assert request.transitions.get().to_state == State.APPROVED
