"""Safe decisions in the review queue: confirmation pages, a required reason, the
reviewer's checklist stored with the decision, places left shown above the queue."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation

from press.accreditation.decisions import accreditation_approve, accreditation_reject
from press.accreditation.errors import AccreditationError
from press.accreditation.models import BadgeRequestState, ReviewChecklist
from press.accreditation.review import checklist_missing
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory

State = BadgeRequestState
CHANGELIST = "/admin/accreditation/badgerequest/"


@pytest.fixture
def reviewer(staff_user):
    return staff_user("Accreditation reviewer", username="sofia")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _decide_url(badge_request) -> str:
    return f"{CHANGELIST}{badge_request.pk}/decide/"


def _complete(event, **overrides) -> dict:
    values = {
        "photo_usable": "on",
        "press_card_valid": "on",
        "press_card_number": "BE-12345",
        "press_card_issuer": "AJP",
        "press_card_expires_on": (event.starts_on + dt.timedelta(days=365)).isoformat(),
        "letter_dated": "on",
        "outlet_verified": "on",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def test_reject_without_reason_is_refused_and_changes_nothing(
    reviewer_client, event, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            _decide_url(badge_request), {"action": "reject", "note": "  ", "confirmed": "1"}
        )

    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Un refus demande un motif\u202f: le journaliste le lit dans le courriel."
    ]
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED
    assert not ReviewChecklist.objects.exists()
    assert mail.outbox == []


def test_reject_asks_for_confirmation_then_tells_the_reason(
    reviewer_client, client, event, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event)

    first = reviewer_client.post(
        _decide_url(badge_request), {"action": "reject", "note": "Carte de presse expirée"}
    )

    assert first.status_code == 200
    assert first.context["confirm_label"] == "Oui, refuser et prévenir le journaliste"
    body = first.content.decode()
    assert 'name="confirmed" value="1"' in body
    assert "Carte de presse expirée</textarea>" in body
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        second = reviewer_client.post(
            _decide_url(badge_request),
            {"action": "reject", "note": "Carte de presse expirée", "confirmed": "1"},
        )

    assert second.status_code == 302
    badge_request.refresh_from_db()
    assert badge_request.state == State.REJECTED
    assert badge_request.decision_note == "Carte de presse expirée"
    assert "Motif\u202f: Carte de presse expirée" in mail.outbox[-1].body
    with translation.override("fr"):
        status = client.get(reverse("accreditation:status", kwargs={"token": badge_request.token}))
    assert "Carte de presse expirée" in status.content.decode()


def test_cancel_asks_for_confirmation(reviewer_client, event, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event, state=State.APPROVED)

    first = reviewer_client.post(_decide_url(badge_request), {"action": "cancel"})

    assert first.status_code == 200
    assert first.context["confirm_label"] == "Oui, annuler et prévenir le journaliste"
    badge_request.refresh_from_db()
    assert badge_request.state == State.APPROVED
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(_decide_url(badge_request), {"action": "cancel", "confirmed": "1"})

    badge_request.refresh_from_db()
    assert badge_request.state == State.CANCELLED
    assert len(mail.outbox) == 1


def test_approve_with_complete_checklist_stores_it_with_the_decision(
    reviewer_client, event, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            _decide_url(badge_request), {"action": "approve", **_complete(event)}
        )

    assert response.status_code == 302
    badge_request.refresh_from_db()
    assert badge_request.state == State.APPROVED
    checklist = badge_request.checklist
    assert (checklist.press_card_issuer, checklist.checked_by.username) == ("AJP", "sofia")
    transition = badge_request.transitions.get()
    assert transition.checklist == {
        "photo_usable": True,
        "press_card_valid": True,
        "press_card_number": "BE-12345",
        "press_card_issuer": "AJP",
        "press_card_expires_on": (event.starts_on + dt.timedelta(days=365)).isoformat(),
        "letter_dated": True,
        "outlet_verified": True,
    }


def test_approve_with_incomplete_checklist_asks_for_confirmation(
    reviewer_client, event, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event)
    values = _complete(event, letter_dated=None, press_card_issuer="")

    first = reviewer_client.post(_decide_url(badge_request), {"action": "approve", **values})

    assert first.status_code == 200
    assert first.context["problems"] == [
        "L’organisme émetteur de la carte de presse manque.",
        "La lettre de mission n’est pas cochée comme datée.",
    ]
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED
    assert not ReviewChecklist.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            _decide_url(badge_request), {"action": "approve", "confirmed": "1", **values}
        )

    badge_request.refresh_from_db()
    assert badge_request.state == State.APPROVED
    assert badge_request.checklist.letter_dated is False
    assert len(mail.outbox) == 1


def test_checklist_with_a_malformed_date_changes_nothing(reviewer_client, event):
    badge_request = BadgeRequestFactory(event=event)

    response = reviewer_client.post(
        _decide_url(badge_request),
        {
            "action": "approve",
            "confirmed": "1",
            **_complete(event, press_card_expires_on="31/02/2030"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["press_card_expires_on"] == [
        "Saisissez une date valide."
    ]
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED
    assert not ReviewChecklist.objects.exists()


def test_checklist_with_a_card_expiring_before_the_event_is_incomplete(event):
    values = {
        "photo_usable": True,
        "press_card_valid": True,
        "press_card_number": "BE-1",
        "press_card_issuer": "AJP",
        "press_card_expires_on": event.starts_on - dt.timedelta(days=1),
        "letter_dated": True,
        "outlet_verified": True,
    }

    assert checklist_missing(values=values, event_starts_on=event.starts_on) == [
        "La carte de presse expire avant l’événement."
    ]
    assert checklist_missing(values=None, event_starts_on=event.starts_on) == [
        "Aucune liste de vérification n’a été remplie."
    ]


def test_refused_approval_keeps_no_checklist(event, reviewer):
    event.press_capacity = 1
    event.save()
    BadgeRequestFactory(event=event, state=State.APPROVED)
    badge_request = BadgeRequestFactory(event=event)
    values = {
        "photo_usable": True,
        "press_card_valid": True,
        "press_card_number": "BE-1",
        "press_card_issuer": "AJP",
        "press_card_expires_on": None,
        "letter_dated": True,
        "outlet_verified": True,
    }

    with pytest.raises(AccreditationError) as error:
        accreditation_approve(badge_request=badge_request, by=reviewer, checklist=values)

    assert error.value.code == "press_capacity"
    assert not ReviewChecklist.objects.exists()


def test_reject_needs_a_reason_in_the_domain(event, reviewer):
    badge_request = BadgeRequestFactory(event=event)

    with pytest.raises(AccreditationError) as error:
        accreditation_reject(badge_request=badge_request, by=reviewer, note=" \n")

    assert error.value.code == "reason_required"
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED


def test_decision_buttons_look_like_their_consequence(reviewer_client, event):
    badge_request = BadgeRequestFactory(event=event)

    body = reviewer_client.get(f"{CHANGELIST}{badge_request.pk}/change/").content.decode()

    for name, label in [
        ("approve", "Accepter"),
        ("waitlist", "Mettre sur liste d’attente"),
        ("reject", "Refuser…"),
        ("cancel", "Annuler l’accréditation…"),
    ]:
        assert (
            f'value="{name}" class="button badge-decide badge-decide-{name}">{label}</button>'
            in body
        )
    assert 'name="press_card_number" value="BE-12345"' in body


def test_bulk_reject_asks_for_a_reason(reviewer_client, event):
    requests = BadgeRequestFactory.create_batch(2, event=event)
    selected = [r.pk for r in requests]

    first = reviewer_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": selected}
    )
    empty = reviewer_client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": selected, "confirmed": "yes"},
    )

    assert first.status_code == 200
    assert first.context["error"] == ""
    assert empty.status_code == 200
    assert empty.context["error"] == (
        "Un refus demande un motif\u202f: le journaliste le lit dans le courriel."
    )
    assert {r.state for r in type(requests[0]).objects.all()} == {State.SUBMITTED}


def test_bulk_approve_confirms_incomplete_checklists_only(
    reviewer_client, event, reviewer, django_capture_on_commit_callbacks
):
    checked = BadgeRequestFactory(event=event)
    ReviewChecklist.objects.create(
        badge_request=checked,
        photo_usable=True,
        press_card_valid=True,
        press_card_number="BE-1",
        press_card_issuer="AJP",
        press_card_expires_on=event.starts_on,
        letter_dated=True,
        outlet_verified=True,
    )
    unchecked = BadgeRequestFactory(event=event, last_name="Sans")

    alone = reviewer_client.post(
        CHANGELIST, {"action": "approve_selected", "_selected_action": [checked.pk]}
    )
    both = reviewer_client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [checked.pk, unchecked.pk]},
    )

    assert alone.status_code == 302
    checked.refresh_from_db()
    assert checked.state == State.APPROVED
    assert both.status_code == 200
    assert [(r.pk, missing) for r, missing in both.context["incomplete"]] == [
        (unchecked.pk, ["Aucune liste de vérification n’a été remplie."])
    ]
    unchecked.refresh_from_db()
    assert unchecked.state == State.SUBMITTED


def test_queue_shows_places_left_and_states_in_words(reviewer_client, event):
    event.press_capacity = 10
    event.save()
    visit = FieldVisitFactory(event=event, capacity=1, name={"fr": "Centre de crise"})
    BadgeRequestFactory(event=event, state=State.APPROVED).field_visits.add(visit)
    BadgeRequestFactory(event=event, state=State.APPROVED, days=[])
    BadgeRequestFactory(event=event, state=State.WAITLISTED)

    response = reviewer_client.get(CHANGELIST)

    capacity = response.context["capacity"]
    assert (capacity["approved"], capacity["capacity"], capacity["left"]) == (2, 10, 8)
    assert capacity["days"][0] == (event.starts_on, 1)
    body = response.content.decode()
    assert "2 / 10 · 8 places restantes" in body
    assert "Centre de crise\u202f: 1 / 1 (complète)" in body
    assert '<span class="badge-state badge-state-waitlisted">En liste d&#x27;attente</span>' in body
