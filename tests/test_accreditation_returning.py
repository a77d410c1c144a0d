"""Returning journalists: recognised through the invitation sent to their address,
their form filled in from their last accreditation, its photo reused if they tick the
box, and its verification reusable by the reviewer while the press card is valid."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from press.accreditation.decisions import accreditation_approve
from press.accreditation.models import BadgeRequest, BadgeRequestState, ReviewChecklist
from press.mailings.enums import MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import EventFactory, JournalistFactory
from tests.factories.accreditation import PDF_BYTES, BadgeRequestFactory, image_bytes

State = BadgeRequestState
FORM_URL = "/fr/accreditation/"
CHANGELIST = "/admin/accreditation/badgerequest/"
EARLIER_PHOTO = image_bytes(600, 800, color=(200, 10, 10))


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def brussels(db):
    return EventFactory(
        slug="brussels-2024",
        name={"fr": "Bruxelles 2024", "en": "Brussels 2024"},
        starts_on=dt.date(2024, 3, 20),
        ends_on=dt.date(2024, 3, 22),
    )


@pytest.fixture
def earlier(brussels):
    from django.core.files.base import ContentFile

    return BadgeRequestFactory(
        event=brussels,
        state=State.APPROVED,
        email="Lea@LeSoir.example",
        first_name="Léa",
        last_name="Janssens",
        outlet_name="Le Soir",
        phone="+32 470 99 99 99",
        press_card_number="B-2024",
        photo=ContentFile(EARLIER_PHOTO, name="photo.jpg"),
    )


def _invitation(event, email="lea@lesoir.example"):
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    return Delivery.objects.create(
        mailing=mailing,
        journalist=JournalistFactory(email=email),
        email=email,
        language="fr",
        sent_at=timezone.now(),
    )


def _post_data(event, **overrides):
    data = {
        "first_name": "Léa",
        "last_name": "Janssens",
        "email": "lea@lesoir.example",
        "phone": "+32 470 99 99 99",
        "nationality": "BE",
        "outlet_name": "Le Soir",
        "outlet_kind": "newspaper",
        "outlet_country": "BE",
        "role": "journalist",
        "press_card_number": "B-2024",
        "press_card_country": "BE",
        "press_card": SimpleUploadedFile("card.pdf", PDF_BYTES),
        "days": [event.starts_on.isoformat()],
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_returning_journalist_form_is_filled_in_from_the_last_request(client, event, earlier):
    delivery = _invitation(event)

    response = client.get(f"{FORM_URL}?invitation={delivery.token}")

    form = response.context["form"]
    assert response.context["returning"] == earlier
    assert form.initial["outlet_country"] == earlier.outlet_country
    assert "days" not in form.initial
    body = response.content.decode()
    # An invitation may have been forwarded: the earlier request's phone and press card
    # number are not printed in the page.
    assert "phone" not in form.initial and "press_card_number" not in form.initial
    assert "99 99 99" not in body and "B-2024" not in body
    assert "Bon retour : le formulaire reprend votre demande pour Bruxelles 2024." in body.replace(
        "\u202f", " "
    )
    assert "Réutiliser la photo de ma demande pour Bruxelles 2024" in body


def test_returning_journalist_reuses_the_photo_when_ticked(client, event, earlier):
    delivery = _invitation(event)

    response = client.post(
        f"{FORM_URL}?invitation={delivery.token}", _post_data(event, reuse_photo="on")
    )

    assert response.status_code == 302
    created = BadgeRequest.objects.get(event=event)
    with created.photo.open("rb") as photo:
        assert photo.read() == EARLIER_PHOTO
    assert created.photo.name != earlier.photo.name


def test_returning_journalist_without_photo_or_box_is_asked_for_one(client, event, earlier):
    delivery = _invitation(event)

    response = client.post(f"{FORM_URL}?invitation={delivery.token}", _post_data(event))

    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [
        "Ajoutez une photo, ou cochez la case pour réutiliser la dernière."
    ]
    assert not BadgeRequest.objects.filter(event=event).exists()


def test_last_photo_is_not_reused_under_another_address(client, event, earlier):
    delivery = _invitation(event)

    response = client.post(
        f"{FORM_URL}?invitation={delivery.token}",
        _post_data(event, email="someone@else.example", reuse_photo="on"),
    )

    assert response.context["form"].errors["reuse_photo"] == [
        "Votre dernière photo ne peut être réutilisée qu’avec l’adresse d’où elle a été envoyée."
    ]
    assert not BadgeRequest.objects.filter(event=event).exists()


def test_a_rejected_earlier_request_is_not_a_returning_journalist(client, event, earlier):
    BadgeRequest.objects.filter(pk=earlier.pk).update(state=State.REJECTED)
    delivery = _invitation(event)

    response = client.get(f"{FORM_URL}?invitation={delivery.token}")

    assert response.context["returning"] is None
    assert "reuse_photo" not in response.context["form"].fields


def _checklist(badge_request, expires_on):
    return ReviewChecklist.objects.create(
        badge_request=badge_request,
        photo_usable=True,
        press_card_valid=True,
        press_card_number="B-2024",
        press_card_issuer="AJP",
        press_card_expires_on=expires_on,
        letter_dated=True,
        outlet_verified=True,
    )


def test_reviewer_reuses_a_verification_whose_card_is_still_valid(
    client, staff_user, event, earlier
):
    client.force_login(staff_user("Accreditation reviewer"))
    _checklist(earlier, event.starts_on + dt.timedelta(days=400))
    current = BadgeRequestFactory(event=event, email="lea@lesoir.example")

    page = client.get(f"{CHANGELIST}{current.pk}/change/")
    assert page.context["reusable_checklist"].badge_request == earlier

    client.post(f"{CHANGELIST}{current.pk}/reuse-verification/")

    reused = ReviewChecklist.objects.get(badge_request=current)
    assert (reused.reused_from.badge_request, reused.press_card_issuer) == (earlier, "AJP")
    after = client.get(f"{CHANGELIST}{current.pk}/change/")
    assert after.context["checklist_reused_from"] == earlier
    accreditation_approve(
        badge_request=current,
        by=None,
        checklist={
            "photo_usable": True,
            "press_card_valid": True,
            "press_card_number": "B-2024",
            "press_card_issuer": "AJP",
            "press_card_expires_on": reused.press_card_expires_on,
            "letter_dated": True,
            "outlet_verified": True,
        },
    )
    assert current.transitions.get().checklist["reused_from"] == earlier.pk


def test_an_expired_card_cannot_be_reused(client, staff_user, event, earlier):
    client.force_login(staff_user("Accreditation reviewer"))
    _checklist(earlier, event.starts_on - dt.timedelta(days=1))
    current = BadgeRequestFactory(event=event, email="lea@lesoir.example")

    page = client.get(f"{CHANGELIST}{current.pk}/change/")
    response = client.post(f"{CHANGELIST}{current.pk}/reuse-verification/")

    assert page.context["reusable_checklist"] is None
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Aucune vérification antérieure n’a une carte de presse encore valable."
    ]
    assert not ReviewChecklist.objects.filter(badge_request=current).exists()
