import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from press.accreditation.models import AccreditationSettings, BadgeRequest, BadgeRequestState
from press.mailings.enums import MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import EventFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import (
    PDF_BYTES,
    BadgeRequestFactory,
    FieldVisitFactory,
    image_bytes,
)

State = BadgeRequestState
FORM_URL = "/fr/accreditation/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def _post_data(event, **overrides):
    data = {
        "first_name": "Léa",
        "last_name": "Janssens",
        "email": "lea@lesoir.example",
        "phone": "+32 470 12 34 56",
        "nationality": "BE",
        "outlet_name": "Le Soir",
        "outlet_kind": "newspaper",
        "outlet_country": "BE",
        "outlet_website": "",
        "role": "photographer",
        "press_card_number": "B-1234",
        "press_card_country": "BE",
        "press_card": SimpleUploadedFile("card.pdf", PDF_BYTES),
        "photo": SimpleUploadedFile("me.jpg", image_bytes(600, 800)),
        "days": [event.starts_on.isoformat()],
        "equipment": ["camera", "tripod"],
        "interview_requests": "Le bourgmestre",
        "accessibility_needs": "",
        "consent": "on",
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _invitation(event, journalist, email=None):
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    return Delivery.objects.create(
        mailing=mailing,
        journalist=journalist,
        email=email or journalist.email,
        language="fr",
        sent_at=timezone.now(),
    )


def test_form_before_opening_says_when_it_opens(client, db):
    EventFactory(
        accreditation_opens_at=timezone.make_aware(dt.datetime(2099, 1, 15, 9, 0)),
        accreditation_closes_at=timezone.make_aware(dt.datetime(2099, 3, 1, 9, 0)),
    )

    response = client.get(FORM_URL)

    assert response.status_code == 200
    assert "ouvrent le 15 janvier 2099 à 9\xa0h" in response.content.decode()
    assert "<form" not in response.content.decode()


def test_form_after_closing_says_closed_and_whom_to_contact(client, db):
    EventFactory(accreditation_closes_at=timezone.now() - dt.timedelta(hours=1))

    response = client.get(FORM_URL)

    body = response.content.decode()
    assert "sont closes" in body
    assert 'href="mailto:press@event.example"' in body


def test_form_post_when_closed_creates_nothing(client, db):
    event = EventFactory(accreditation_closes_at=timezone.now() - dt.timedelta(hours=1))

    response = client.post(FORM_URL, _post_data(event))

    assert response.status_code == 200
    assert BadgeRequest.objects.count() == 0


def test_invitation_page_shows_name_and_outlet_but_no_contact_details(client, event):
    outlet = OutletFactory(name="Radio Sambre", kind="radio", country="BE")
    journalist = JournalistFactory(
        first_name="Noah",
        last_name="Peeters",
        email="noah@radio.example",
        phone="+32470998877",
        country="BE",
        outlet=outlet,
    )
    delivery = _invitation(event, journalist)

    response = client.get(f"{FORM_URL}?invitation={delivery.token}")

    form = response.context["form"]
    assert form.initial["first_name"] == "Noah"
    assert form.initial["outlet_name"] == "Radio Sambre"
    assert form.initial["outlet_kind"] == "radio"
    assert "email" not in form.initial and "phone" not in form.initial
    body = response.content.decode()
    assert 'value="Peeters"' in body
    assert "noah@radio.example" not in body
    assert "470998877" not in body and "470 99 88 77" not in body
    assert "n•••@radio.example" in body
    delivery.refresh_from_db()
    assert delivery.state == "clicked"
    assert delivery.clicked_at is not None


def test_invitation_submitted_without_contact_details_takes_them_from_the_record(client, event):
    journalist = JournalistFactory(email="noah@radio.example", phone="+32470998877")
    delivery = _invitation(event, journalist)

    response = client.post(
        f"{FORM_URL}?invitation={delivery.token}", _post_data(event, email="", phone="")
    )

    assert response.status_code == 302
    badge_request = BadgeRequest.objects.get()
    assert (badge_request.email, badge_request.phone) == ("noah@radio.example", "+32470998877")
    assert badge_request.invitation == delivery


def test_invitation_token_does_not_unsubscribe(client, event):
    journalist = JournalistFactory()
    delivery = _invitation(event, journalist)

    response = client.post(f"/fr/mailings/unsubscribe/{delivery.token}/")

    assert response.status_code == 404
    journalist.refresh_from_db()
    assert not journalist.is_suppressed
    assert delivery.token != delivery.unsubscribe_token


def test_form_with_unknown_invitation_still_works(client, event):
    response = client.get(f"{FORM_URL}?invitation=guessed-token")

    assert response.status_code == 200
    assert "n'est plus valable" in response.content.decode()
    assert response.context["form"].initial == {}


def test_release_mailing_token_is_not_an_invitation(client, event):
    journalist = JournalistFactory()
    mailing = Mailing.objects.create(kind=MailingKind.RELEASE, event=event)
    delivery = Delivery.objects.create(
        mailing=mailing, journalist=journalist, email=journalist.email, language="fr"
    )

    response = client.get(f"{FORM_URL}?invitation={delivery.token}")

    assert response.context["invitation"] is None


def test_submit_creates_request_and_sends_status_link(
    client, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, _post_data(event))

    assert response.status_code == 302
    assert response["Location"] == "/fr/accreditation/sent/"
    badge_request = BadgeRequest.objects.get()
    assert (badge_request.role, badge_request.language) == ("photographer", "fr")
    assert badge_request.days == [event.starts_on.isoformat()]
    assert badge_request.equipment == ["camera", "tripod"]
    assert badge_request.photo.name.endswith(".jpg")
    assert badge_request.press_card.name.endswith(".pdf")
    assert f"/fr/accreditation/status/{badge_request.token}/" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "Demande reçue" in page


def test_submit_with_invitation_links_it(client, event):
    journalist = JournalistFactory(email="lea@lesoir.example")
    delivery = _invitation(event, journalist)

    client.post(f"{FORM_URL}?invitation={delivery.token}", _post_data(event))

    badge_request = BadgeRequest.objects.get()
    assert badge_request.invitation == delivery
    assert badge_request.invitation_other_email is False
    assert badge_request.journalist == journalist


def test_invitation_opened_with_another_email_is_flagged(client, event):
    delivery = _invitation(event, JournalistFactory(email="invited@media.example"))

    client.post(f"{FORM_URL}?invitation={delivery.token}", _post_data(event))

    badge_request = BadgeRequest.objects.get()
    assert badge_request.email == "lea@lesoir.example"
    assert badge_request.invitation_other_email is True


def test_submit_with_too_small_photo_keeps_typed_values(client, event):
    data = _post_data(event, photo=SimpleUploadedFile("me.jpg", image_bytes(300, 300)))

    response = client.post(FORM_URL, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Cette photo fait 300×300 pixels\u202f; elle doit faire au moins 400×500." in body
    assert 'value="Janssens"' in body
    assert "Le bourgmestre" in body
    assert BadgeRequest.objects.count() == 0
    assert mail.outbox == []


def test_submit_with_fake_photo_is_refused(client, event):
    data = _post_data(event, photo=SimpleUploadedFile("me.jpg", b"GIF89a not really"))

    response = client.post(FORM_URL, data)

    assert response.context["form"].errors["photo"] == [
        "Ce fichier n'est pas une image JPEG ou PNG."
    ]
    assert BadgeRequest.objects.count() == 0


def test_submit_without_card_or_letter_is_refused(client, event):
    data = _post_data(event, press_card_number="", press_card_country="", press_card=None)

    response = client.post(FORM_URL, data)

    assert response.context["form"].non_field_errors() == [
        "Indiquez un numéro de carte de presse avec un scan de la carte, ou joignez une "
        "lettre de mission de votre rédaction."
    ]
    assert BadgeRequest.objects.count() == 0


def test_submit_with_letter_instead_of_card_is_accepted(client, event):
    data = _post_data(
        event,
        press_card_number="",
        press_card_country="",
        press_card=None,
        letter=SimpleUploadedFile("letter.pdf", PDF_BYTES),
    )

    response = client.post(FORM_URL, data)

    assert response.status_code == 302
    assert BadgeRequest.objects.get().letter.name.endswith(".pdf")


def test_submit_without_consent_is_refused(client, event):
    response = client.post(FORM_URL, _post_data(event, consent=None))

    assert response.context["form"].errors["consent"] == [
        "Cochez la case pour accepter le traitement de vos données personnelles."
    ]
    assert BadgeRequest.objects.count() == 0


def test_honeypot_refuses_robots(client, event):
    response = client.post(FORM_URL, _post_data(event, homepage="http://spam.example"))

    assert response.status_code == 200
    assert response.context["form"].errors["homepage"] == [
        "Cette demande semble automatique et n'a pas été envoyée."
    ]
    assert BadgeRequest.objects.count() == 0


def test_submissions_are_rate_limited_per_address(client, event, settings):
    settings.ACCREDITATION_SUBMISSIONS_PER_HOUR = 2
    for _attempt in range(2):
        client.post(FORM_URL, _post_data(event, consent=None))

    response = client.post(FORM_URL, _post_data(event))

    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert BadgeRequest.objects.count() == 0
    other = client.post(FORM_URL, _post_data(event), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_full_field_visit_cannot_be_chosen(client, event):
    visit = FieldVisitFactory(event=event, capacity=1, name={"fr": "Salle de consommation"})
    BadgeRequestFactory(event=event, state=State.APPROVED).field_visits.add(visit)

    response = client.post(FORM_URL, _post_data(event, field_visits=[visit.pk]))

    assert response.context["form"].errors["field_visits"] == [
        "Il n'y a plus de place pour\u202f: Salle de consommation."
    ]
    assert "(complet)" in response.content.decode()


def test_forwarded_invitation_cannot_change_the_pending_request(
    client, event, django_capture_on_commit_callbacks
):
    delivery = _invitation(event, JournalistFactory(email="lea@lesoir.example"))
    url = f"{FORM_URL}?invitation={delivery.token}"
    client.post(url, _post_data(event))
    before = BadgeRequest.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            _post_data(
                event,
                email="",
                phone="+32 2 555 01 24",
                first_name="Mallory",
                photo=SimpleUploadedFile("other.jpg", image_bytes(700, 900)),
            ),
            follow=True,
        )

    after = BadgeRequest.objects.get()
    assert (after.phone, after.first_name, after.photo.name) == (
        before.phone,
        "Léa",
        before.photo.name,
    )
    assert "Vérifiez votre boîte de réception" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["lea@lesoir.example"]]


def test_second_submission_by_anyone_else_changes_nothing_and_mails_the_owner(
    client, event, django_capture_on_commit_callbacks
):
    client.post(FORM_URL, _post_data(event))
    mail.outbox.clear()
    before = BadgeRequest.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FORM_URL,
            _post_data(event, email="LEA@lesoir.example", phone="+32 2 555 01 24"),
            follow=True,
        )

    after = BadgeRequest.objects.get()
    assert (after.phone, after.photo.name) == (before.phone, before.photo.name)
    assert after.phone != "+3225550124"
    assert "Vérifiez votre boîte de réception" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lea@lesoir.example"]
    assert mail.outbox[0].subject.startswith("Le lien privé vers votre demande d'accréditation")
    assert f"/fr/accreditation/status/{after.token}/" in mail.outbox[0].body


def test_submission_after_decision_points_to_status_page(client, event):
    BadgeRequestFactory(event=event, email="lea@lesoir.example", state=State.APPROVED)

    response = client.post(FORM_URL, _post_data(event))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Une demande avec cette adresse e-mail a déjà reçu une décision. Son statut se trouve "
        "sur la page dont le lien figurait dans l'e-mail de confirmation."
    ]
    assert BadgeRequest.objects.get().phone == "+32470000000"


def test_status_page_with_wrong_token_is_404(client, event):
    BadgeRequestFactory(event=event)

    response = client.get("/fr/accreditation/status/not-the-token/")

    assert response.status_code == 404


def test_status_page_shows_state_and_correction_form(client, event):
    badge_request = BadgeRequestFactory(event=event, first_name="Léa")

    response = client.get(reverse("accreditation:status", args=[badge_request.token]))

    body = response.content.decode()
    assert '<h2 id="state-title">Reçue</h2>' in body
    assert response.context["form"].initial["first_name"] == "Léa"
    assert "Retirer ma demande" in body


def test_status_page_correction_updates_request(client, event):
    badge_request = BadgeRequestFactory(event=event)
    url = reverse("accreditation:status", args=[badge_request.token])
    data = _post_data(event, phone="+32 2 555 01 11", press_card=None, photo=None)
    data.pop("email")

    response = client.post(url, data)

    assert response.status_code == 302
    badge_request.refresh_from_db()
    assert badge_request.phone == "+3225550111"
    assert badge_request.email.startswith("reporter")
    assert badge_request.photo


def test_status_page_of_decided_request_has_no_form(client, event):
    badge_request = BadgeRequestFactory(
        event=event, state=State.REJECTED, decision_note="Hors délai"
    )

    response = client.get(reverse("accreditation:status", args=[badge_request.token]))

    assert response.context["form"] is None
    assert "Hors délai" in response.content.decode()
    posted = client.post(
        reverse("accreditation:status", args=[badge_request.token]), {"phone": "1"}
    )
    assert posted.status_code == 200
    badge_request.refresh_from_db()
    assert badge_request.phone == "+32470000000"


def test_withdraw_from_status_page(client, event):
    badge_request = BadgeRequestFactory(event=event)

    response = client.post(
        reverse("accreditation:withdraw", args=[badge_request.token]),
        {"note": "Malade", "confirm": "1"},
    )

    assert response.status_code == 302
    badge_request.refresh_from_db()
    assert badge_request.state == State.WITHDRAWN
    assert badge_request.transitions.get().note == "Malade"


def test_withdraw_twice_says_why(client, event):
    badge_request = BadgeRequestFactory(event=event, state=State.WITHDRAWN)

    response = client.post(
        reverse("accreditation:withdraw", args=[badge_request.token]),
        {"confirm": "1"},
        follow=True,
    )

    assert "ne peut pas passer" in response.content.decode()


def test_withdraw_without_confirming_changes_nothing(client, event):
    badge_request = BadgeRequestFactory(event=event)

    response = client.post(
        reverse("accreditation:withdraw", args=[badge_request.token]),
        {"note": "Malade"},
        follow=True,
    )

    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED
    assert badge_request.transitions.count() == 0
    assert "Cochez la case pour confirmer le retrait de votre demande." in response.content.decode()


def test_private_file_needs_login(client, event):
    badge_request = BadgeRequestFactory(event=event)

    response = client.get(f"/private/badge-requests/{badge_request.pk}/photo/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_private_file_refused_to_staff_without_permission(client, event, staff_user):
    badge_request = BadgeRequestFactory(event=event)
    client.force_login(staff_user("Check-in desk"))

    response = client.get(f"/private/badge-requests/{badge_request.pk}/photo/")

    assert response.status_code == 403


def test_private_file_served_to_reviewer(client, event, staff_user):
    badge_request = BadgeRequestFactory(event=event)
    client.force_login(staff_user("Accreditation reviewer"))

    response = client.get(f"/private/badge-requests/{badge_request.pk}/press_card/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_private_file_unknown_kind_or_missing_file_is_404(client, event, staff_user):
    badge_request = BadgeRequestFactory(event=event)
    client.force_login(staff_user("Accreditation reviewer"))

    assert client.get(f"/private/badge-requests/{badge_request.pk}/token/").status_code == 404
    assert client.get(f"/private/badge-requests/{badge_request.pk}/letter/").status_code == 404
    assert client.get("/private/badge-requests/999/photo/").status_code == 404


def test_private_files_are_not_under_media_url(client, event, settings):
    badge_request = BadgeRequestFactory(event=event)

    assert badge_request.photo.path.startswith(str(settings.PRIVATE_ROOT))
    assert not badge_request.photo.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{badge_request.photo.name}").status_code == 404


def test_field_visits_are_offered_in_the_event_time_zone(client, event, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    starts = dt.datetime(2024, 3, 21, 9, 0, tzinfo=dt.UTC)  # 10:00 in Brussels
    FieldVisitFactory(
        event=event, name={"fr": "Centre de crise", "en": "Crisis centre"}, starts_at=starts
    )

    response = client.get(FORM_URL)

    labels = [label for _value, label in response.context["form"].fields["field_visits"].choices]
    assert labels == ["Centre de crise — jeudi 21 mars 2024 à 10\xa0h"]


def test_status_page_of_approved_request_says_where_to_collect_in_page_language(client, event):
    AccreditationSettings.objects.create(
        event=event,
        badge_pickup_place={"fr": "l'accueil presse", "en": "the press desk, north entrance"},
        badge_pickup_hours={"fr": "De 8 h à 18 h.", "en": "8 am to 6 pm."},
    )
    badge_request = BadgeRequestFactory(event=event, state=State.APPROVED, language="fr")

    with translation.override("en"):
        url = reverse("accreditation:status", args=[badge_request.token])
    body = client.get(url).content.decode()

    assert "Collect your badge at the press desk, north entrance (" in body
    assert "8 am to 6 pm." in body
    assert "<dt>Documents received</dt><dd>photo, press card</dd>" in body


def test_status_page_without_documents_says_none(client, event):
    badge_request = BadgeRequestFactory(event=event, photo="", press_card="")

    with translation.override("fr"):
        url = reverse("accreditation:status", args=[badge_request.token])
    body = client.get(url).content.decode()

    assert "<dt>Documents reçus</dt><dd>—</dd>" in body
