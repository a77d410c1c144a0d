"""The private status page of a badge request: it leads with the state and what happens
next, shows the press office's note to the journalist (never the office's own record),
and keeps the request, its corrections and the withdrawal behind buttons."""

import pytest
from django.urls import reverse
from django.utils import translation

from press.accreditation.decisions import (
    accreditation_approve,
    accreditation_cancel,
    accreditation_reject,
    accreditation_waitlist,
    accreditation_withdraw,
)
from press.accreditation.models import BadgeRequestState, BadgeRequestTransition
from press.accreditation.review import review_checklist_save
from tests.factories.accreditation import BadgeRequestFactory

State = BadgeRequestState


@pytest.fixture
def reviewer(staff_user):
    return staff_user("Accreditation reviewer", username="sofia")


def _page(client, badge_request, language="fr") -> str:
    with translation.override(language):
        url = reverse("accreditation:status", args=[badge_request.token])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _lead(body: str) -> str:
    """The state card: what the page leads with, before the request's details."""
    start = body.index('<section class="state-card')
    return body[start : body.index("</section>", start)]


CHECKLIST = {
    "photo_usable": True,
    "press_card_valid": True,
    "press_card_number": "BE-12345",
    "press_card_issuer": "Association secrète des reviewers",
    "press_card_expires_on": None,
    "letter_dated": True,
    "outlet_verified": True,
}


def test_received_request_leads_with_received_and_the_next_step(client, event):
    badge_request = BadgeRequestFactory(event=event, email="lea@media.example")

    french = _lead(_page(client, badge_request, "fr"))
    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">Reçue</h2>' in french
    assert "Vous recevrez la décision par e-mail à l’adresse lea@media.example." in french
    assert '<h2 id="state-title">Received</h2>' in english
    assert "You will get the decision by email at lea@media.example." in english
    assert "Until then you can still correct your request." in english


def test_request_whose_checklist_is_started_is_under_review(client, event, reviewer):
    badge_request = BadgeRequestFactory(event=event)
    review_checklist_save(badge_request=badge_request, by=reviewer, values=CHECKLIST)

    french = _lead(_page(client, badge_request, "fr"))
    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">En cours d’examen</h2>' in french
    assert '<h2 id="state-title">Under review</h2>' in english
    # The checklist itself is the office's: none of it reaches the journalist.
    assert "Association secrète" not in _page(client, badge_request, "fr")


def test_approved_request_shows_the_note_to_the_journalist(client, event, reviewer):
    badge_request = BadgeRequestFactory(event=event)
    accreditation_approve(
        badge_request=badge_request, by=reviewer, note="Interview du maire à 10 h, salle B."
    )

    french = _lead(_page(client, badge_request, "fr"))
    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">Acceptée</h2>' in french
    assert "Message du service de presse" in french
    assert "Interview du maire à 10 h, salle B." in french
    assert '<h2 id="state-title">Approved</h2>' in english
    assert "Note from the press office" in english
    assert "Your press badge is approved." in english


def test_waitlisted_request_shows_its_place_in_the_order_of_promotion(client, event, reviewer):
    first, second, third = BadgeRequestFactory.create_batch(3, event=event)
    for badge_request in (first, second, third):
        accreditation_waitlist(badge_request=badge_request, by=reviewer)

    assert "Vous êtes en position 2 sur la liste d’attente." in _page(client, second, "fr")
    assert "You are number 3 on the waiting list." in _page(client, third, "en")

    accreditation_approve(badge_request=first, by=reviewer)

    assert "You are number 1 on the waiting list." in _page(client, second, "en")
    assert "You are number 2 on the waiting list." in _page(client, third, "en")


def test_waitlisted_request_without_a_recorded_place_says_no_number(client, event):
    badge_request = BadgeRequestFactory(event=event, state=State.WAITLISTED)

    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">On the waiting list</h2>' in english
    assert "You are number" not in english
    assert "If a place becomes free, we will write to you at once." in english


def test_rejected_request_shows_the_reason(client, event, reviewer):
    badge_request = BadgeRequestFactory(event=event)
    accreditation_reject(badge_request=badge_request, by=reviewer, note="Demande hors délai.")

    french = _lead(_page(client, badge_request, "fr"))
    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">Non acceptée</h2>' in french
    assert "Motif donné par le service de presse" in french
    assert "Demande hors délai." in french
    assert "Reason given by the press office" in english
    assert f'href="mailto:{event.press_email}"' in english


def test_cancelled_request_shows_the_reason(client, event, reviewer):
    badge_request = BadgeRequestFactory(event=event)
    accreditation_approve(badge_request=badge_request, by=reviewer)
    accreditation_cancel(badge_request=badge_request, by=reviewer, note="Carte de presse expirée.")

    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">Cancelled</h2>' in english
    assert "you will not receive a badge" in english
    assert "Carte de presse expirée." in english


def test_request_withdrawn_by_the_journalist_shows_no_earlier_note(client, event, reviewer):
    badge_request = BadgeRequestFactory(event=event)
    accreditation_approve(badge_request=badge_request, by=reviewer, note="Bienvenue au stand B.")
    accreditation_withdraw(badge_request=badge_request, note="Je suis malade.")

    english = _lead(_page(client, badge_request, "en"))

    assert '<h2 id="state-title">Withdrawn</h2>' in english
    assert "You have withdrawn this request: you will not receive a badge." in english
    assert "Bienvenue au stand B." not in english
    assert "Note from the press office" not in english


def test_status_page_never_shows_the_offices_own_record(client, event, reviewer, settings):
    settings.LANGUAGE_CODE = "en"
    event.press_capacity = 1
    event.save()
    approved = BadgeRequestFactory(event=event)
    accreditation_approve(badge_request=approved, by=reviewer)
    waiting = BadgeRequestFactory(event=event)
    review_checklist_save(badge_request=waiting, by=reviewer, values=CHECKLIST)
    accreditation_waitlist(
        badge_request=waiting,
        by=reviewer,
        selection={"seed": "s3cr3t-seed", "rank": 7, "reason": "draw: rank 7"},
    )
    with translation.override("en"):
        accreditation_withdraw(badge_request=approved, note="Personal reason of another person")
    waiting.refresh_from_db()
    assert waiting.state == State.APPROVED  # promoted into the freed place
    record = BadgeRequestTransition.objects.filter(badge_request=waiting).last()
    assert record.note.startswith("Approved automatically from the waiting list")

    for language in ("fr", "en"):
        body = _page(client, waiting, language)
        assert "Approved automatically from the waiting list" not in body
        assert "Approuvée automatiquement" not in body
        assert "s3cr3t-seed" not in body
        assert "draw: rank 7" not in body
        assert "Association secrète" not in body
        assert "Personal reason of another person" not in body
        assert "office-note" not in body


def test_request_details_corrections_and_withdrawal_are_behind_buttons(client, event):
    badge_request = BadgeRequestFactory(event=event)

    body = _page(client, badge_request, "en")

    assert body.index('<section class="state-card') < body.index('<details class="disclosure"')
    assert '<details class="disclosure" id="your-request">' in body
    assert '<details class="disclosure" id="correct">' in body
    assert '<details class="disclosure" id="withdraw">' in body
    assert "<summary>Correct your request</summary>" in body


def test_a_correction_with_an_error_opens_the_form_on_its_errors(client, event):
    badge_request = BadgeRequestFactory(event=event)
    url = reverse("accreditation:status", args=[badge_request.token])

    response = client.post(url, {"first_name": ""})

    body = response.content.decode()
    assert response.status_code == 200
    assert '<details class="disclosure" id="correct" open>' in body
    assert 'id="form-errors"' in body
    badge_request.refresh_from_db()
    assert badge_request.first_name.startswith("Prénom")
