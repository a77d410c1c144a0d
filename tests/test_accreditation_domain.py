import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone, translation

from contacts.enums import ContactSource
from contacts.journalists import journalist_erase
from contacts.models import Journalist
from contacts.privacy import PERSONAL_DATA_SECTIONS
from press.accreditation.calendar import badge_collection_ics, ics_escape, ics_fold
from press.accreditation.decisions import (
    accreditation_approve,
    accreditation_cancel,
    accreditation_reject,
    accreditation_waitlist,
    accreditation_withdraw,
)
from press.accreditation.errors import AccreditationError
from press.accreditation.models import AccreditationSettings, BadgeRequest, BadgeRequestState
from press.accreditation.privacy import identity_documents_purge
from press.accreditation.requests import (
    Submission,
    badge_request_by_token,
    badge_request_submit,
    badge_request_update,
)
from press.mailings.enums import MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import EventFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import (
    PDF_BYTES,
    BadgeRequestFactory,
    FieldVisitFactory,
    image_bytes,
)


@pytest.fixture(autouse=True)
def _empty_cache(db):
    # The hourly limit on re-sent status links lives in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french():
    # Messages are asserted in French, the office's default language.
    with translation.override("fr"):
        yield


State = BadgeRequestState


def _values(**overrides):
    values = {
        "first_name": "Léa",
        "last_name": "Janssens",
        "phone": "+32 470 12 34 56",
        "nationality": "BE",
        "outlet_name": "Le Soir",
        "outlet_kind": "newspaper",
        "outlet_country": "BE",
        "outlet_website": "",
        "role": "journalist",
        "press_card_number": "B-1234",
        "press_card_country": "BE",
        "days": [],
        "interview_requests": "",
        "equipment": ["camera"],
        "accessibility_needs": "",
    }
    values.update(overrides)
    return values


def _files():
    return {
        "photo": ContentFile(image_bytes(), name="photo.jpg"),
        "press_card": ContentFile(PDF_BYTES, name="press-card.pdf"),
    }


def _submit(event, email="lea@lesoir.example", **kwargs):
    options = {"values": _values(), "files": _files(), "language": "fr"}
    options.update(kwargs)
    return badge_request_submit(event=event, email=email, **options)


def _invitation(event, email):
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    return Delivery.objects.create(
        mailing=mailing, email=email, language="fr", sent_at=timezone.now()
    )


@pytest.fixture
def reviewer(staff_user):
    return staff_user("Accreditation reviewer", username="sofia")


def test_submit_creates_request_journalist_and_confirmation(
    event, django_capture_on_commit_callbacks
):
    outlet = OutletFactory(name="Le Soir", country="BE")

    with django_capture_on_commit_callbacks(execute=True):
        badge_request, outcome = _submit(event)

    assert outcome == Submission.CREATED
    assert badge_request.state == State.SUBMITTED
    assert badge_request.outlet == outlet
    assert badge_request.consent_version == "2024-01"
    assert len(badge_request.token) >= 43
    journalist = Journalist.objects.get(email="lea@lesoir.example")
    assert badge_request.journalist == journalist
    assert journalist.source == ContactSource.ACCREDITATION
    assert journalist.language == "fr"
    assert storages["private"].exists(badge_request.photo.name)
    assert badge_request.photo.name.startswith(f"badge-requests/{event.pk}/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@lesoir.example"]
    assert message.subject.startswith("Votre demande d'accréditation a bien été reçue")
    assert f"/fr/accreditation/status/{badge_request.token}/" in message.body


def test_submit_in_english_sets_journalist_language(event, django_capture_on_commit_callbacks):
    JournalistFactory(email="Lea@LeSoir.example", language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        badge_request, _outcome = _submit(event, language="en")

    assert Journalist.objects.get().language == "en"
    assert badge_request.language == "en"
    assert f"/en/accreditation/status/{badge_request.token}/" in mail.outbox[0].body


def test_submit_unknown_outlet_leaves_outlet_empty(event):
    badge_request, _outcome = _submit(event, values=_values(outlet_name="Nobody Knows Us"))

    assert badge_request.outlet is None


def test_submit_again_through_own_invitation_changes_nothing_and_mails_the_link(
    event, django_capture_on_commit_callbacks
):
    invitation = _invitation(event, "lea@lesoir.example")
    first, _outcome = _submit(event, invitation=invitation)
    photo = first.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        second, outcome = _submit(
            event,
            email="LEA@lesoir.example",
            values=_values(phone="+32 2 555 00 00", first_name="Mallory"),
            invitation=invitation,
        )

    assert outcome == Submission.LINK_SENT
    assert second.pk == first.pk
    stored = BadgeRequest.objects.get()
    assert (stored.phone, stored.first_name, stored.photo.name) == (
        "+32 470 12 34 56",
        "Léa",
        photo,
    )
    assert [m.to for m in mail.outbox] == [["lea@lesoir.example"]]
    assert mail.outbox[0].subject.startswith("Le lien privé vers votre demande d'accréditation")


def test_submit_through_invitation_fills_address_and_phone_from_the_record(event):
    journalist = JournalistFactory(email="noah@radio.example", phone="+3225550000")
    invitation = _invitation(event, "noah@radio.example")
    invitation.journalist = journalist
    invitation.save()

    badge_request, outcome = _submit(
        event, email="", values=_values(phone=""), invitation=invitation
    )

    assert outcome == Submission.CREATED
    assert (badge_request.email, badge_request.phone) == ("noah@radio.example", "+3225550000")
    assert badge_request.invitation == invitation
    assert badge_request.invitation_other_email is False


def test_submit_without_address_or_invitation_is_refused(event):
    with pytest.raises(AccreditationError) as refused:
        _submit(event, email=" ")

    assert refused.value.code == "no_email"
    assert BadgeRequest.objects.count() == 0


def test_submit_again_without_proof_of_address_changes_nothing(
    event, django_capture_on_commit_callbacks
):
    someone_elses = _invitation(event, "other@media.example")
    first, _outcome = _submit(event)
    photo = first.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        second, outcome = _submit(
            event,
            email="LEA@lesoir.example",
            values=_values(phone="000", first_name="Mallory"),
            invitation=someone_elses,
        )

    assert outcome == Submission.LINK_SENT
    assert second.pk == first.pk
    stored = BadgeRequest.objects.get()
    assert (stored.phone, stored.first_name, stored.photo.name) == (
        "+32 470 12 34 56",
        "Léa",
        photo,
    )
    assert stored.invitation is None
    assert [m.to for m in mail.outbox] == [["lea@lesoir.example"]]
    assert mail.outbox[0].subject.startswith("Le lien privé vers votre demande d'accréditation")
    assert f"/fr/accreditation/status/{stored.token}/" in mail.outbox[0].body


def test_submit_at_the_same_instant_as_another_first_request_is_a_second_submission(
    event, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import IntegrityError

    from press.accreditation import requests

    real_submit_once = requests._submit_once
    calls = []

    def raced(**arguments):
        calls.append(arguments["email"])
        if len(calls) == 1:
            # Another request for this address was committed between our lookup and
            # our insert: the database constraint refuses the insert.
            real_submit_once(**{**arguments, "values": _values(first_name="Première")})
            raise IntegrityError("badge_request_one_per_email_per_event")
        return real_submit_once(**arguments)

    monkeypatch.setattr(requests, "_submit_once", raced)
    with django_capture_on_commit_callbacks(execute=True):
        badge_request, outcome = _submit(event)

    assert calls == ["lea@lesoir.example", "lea@lesoir.example"]
    assert outcome == Submission.LINK_SENT
    assert BadgeRequest.objects.get().first_name == "Première"
    assert badge_request.first_name == "Première"


def test_submit_again_repeatedly_sends_the_link_once_an_hour(
    event, django_capture_on_commit_callbacks
):
    first, _outcome = _submit(event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [_submit(event, files={})[1] for _attempt in range(3)]

    assert outcomes == [Submission.LINK_SENT] * 3
    assert len(mail.outbox) == 1


def test_submit_after_decision_is_refused(event, reviewer):
    badge_request, _outcome = _submit(event)
    accreditation_reject(badge_request=badge_request, by=reviewer, note="Hors délai")

    with pytest.raises(AccreditationError) as error:
        _submit(event, values=_values(phone="000"))

    assert error.value.code == "already_decided"
    assert BadgeRequest.objects.get().phone == "+32 470 12 34 56"


def test_submit_when_closed_is_refused(db):
    event = EventFactory(accreditation_closes_at=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(AccreditationError) as error:
        _submit(event)

    assert error.value.code == "closed"
    assert BadgeRequest.objects.count() == 0


def test_approve_records_transition_and_sends_calendar(
    event, reviewer, django_capture_on_commit_callbacks
):
    AccreditationSettings.objects.create(
        event=event,
        badge_pickup_place={"fr": "l'accueil presse, niveau -1", "en": "the press desk"},
        badge_pickup_hours={"fr": "De 8 h à 18 h.", "en": "From 8 am to 6 pm."},
    )
    badge_request = BadgeRequestFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_approve(badge_request=badge_request, by=reviewer, note="Bienvenue")

    badge_request.refresh_from_db()
    assert badge_request.state == State.APPROVED
    assert badge_request.decided_by == reviewer
    assert badge_request.decision_note == "Bienvenue"
    transition = badge_request.transitions.get()
    assert (transition.from_state, transition.to_state, transition.by) == (
        "submitted",
        "approved",
        reviewer,
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Votre badge presse est accepté")
    assert "l'accueil presse, niveau -1" in message.body
    assert "pièce d'identité" in message.body
    assert "De 8 h à 18 h." in message.body
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("badge.ics", "text/calendar")
    assert content.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{event.starts_on:%Y%m%d}\r\n" in content


def test_approve_refused_when_press_capacity_reached(event, reviewer):
    event.press_capacity = 1
    event.save()
    BadgeRequestFactory(event=event, state=State.APPROVED)
    waiting = BadgeRequestFactory(event=event)

    with pytest.raises(AccreditationError) as error:
        accreditation_approve(badge_request=waiting, by=reviewer)

    assert error.value.code == "press_capacity"
    assert str(error.value) == "La capacité presse de 1 badge est atteinte."
    waiting.refresh_from_db()
    assert waiting.state == State.SUBMITTED
    assert waiting.transitions.count() == 0


def test_approve_refused_when_outlet_limit_reached(event, reviewer):
    event.per_outlet_limit = 2
    event.save()
    outlet = OutletFactory(name="Le Soir")
    BadgeRequestFactory.create_batch(2, event=event, outlet=outlet, state=State.APPROVED)
    third = BadgeRequestFactory(event=event, outlet=outlet, outlet_name="Le Soir")

    with pytest.raises(AccreditationError) as error:
        accreditation_approve(badge_request=third, by=reviewer)

    assert error.value.code == "outlet_limit"
    assert "Le Soir" in error.value.message


def test_approve_counts_unknown_outlets_by_name(event, reviewer):
    event.per_outlet_limit = 1
    event.save()
    BadgeRequestFactory(event=event, outlet_name="Radio Libre", state=State.APPROVED)
    second = BadgeRequestFactory(event=event, outlet_name="radio libre")

    with pytest.raises(AccreditationError) as error:
        accreditation_approve(badge_request=second, by=reviewer)

    assert error.value.code == "outlet_limit"


def test_approve_refused_when_field_visit_full(event, reviewer):
    visit = FieldVisitFactory(event=event, capacity=1, name={"fr": "Centre de crise"})
    taken = BadgeRequestFactory(event=event, state=State.APPROVED)
    taken.field_visits.add(visit)
    waiting = BadgeRequestFactory(event=event)
    waiting.field_visits.add(visit)

    with pytest.raises(AccreditationError) as error:
        accreditation_approve(badge_request=waiting, by=reviewer)

    assert error.value.code == "field_visit_full"
    assert error.value.message == (
        "La visite de terrain «\u202fCentre de crise\u202f» est complète (1 place)."
    )


def test_waitlisted_request_can_be_approved(event, reviewer, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_waitlist(badge_request=badge_request, by=reviewer)
        accreditation_approve(badge_request=badge_request, by=reviewer)

    badge_request.refresh_from_db()
    assert badge_request.state == State.APPROVED
    assert list(badge_request.transitions.values_list("from_state", "to_state")) == [
        ("submitted", "waitlisted"),
        ("waitlisted", "approved"),
    ]
    assert [m.subject.split(" · ")[0] for m in mail.outbox] == [
        "Votre demande d'accréditation est sur liste d'attente",
        "Votre badge presse est accepté",
    ]


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (State.APPROVED, accreditation_reject),
        (State.APPROVED, accreditation_waitlist),
        (State.REJECTED, accreditation_approve),
        (State.WITHDRAWN, accreditation_cancel),
        (State.CANCELLED, accreditation_withdraw),
        (State.WAITLISTED, accreditation_waitlist),
    ],
)
def test_disallowed_moves_are_refused(event, reviewer, start, action):
    badge_request = BadgeRequestFactory(event=event, state=start)

    with pytest.raises(AccreditationError) as error:
        action(badge_request=badge_request, by=reviewer)

    assert error.value.code == "not_allowed"
    badge_request.refresh_from_db()
    assert badge_request.state == start
    assert badge_request.transitions.count() == 0


def test_reject_email_gives_the_reason(event, reviewer, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event, language="en")

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_reject(
            badge_request=badge_request, by=reviewer, note="No proof of assignment."
        )

    message = mail.outbox[0]
    assert message.subject.startswith("Your accreditation request was not accepted")
    assert "Reason: No proof of assignment." in message.body


def test_withdraw_by_journalist_records_no_user(event, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event, state=State.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_withdraw(badge_request=badge_request, note="Plus disponible")

    transition = badge_request.transitions.get()
    assert (transition.to_state, transition.by, transition.note) == (
        "withdrawn",
        None,
        "Plus disponible",
    )
    assert mail.outbox[0].subject.startswith("Votre demande d'accréditation a été retirée")


def test_cancel_by_staff_tells_the_journalist(event, reviewer, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event, state=State.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_cancel(badge_request=badge_request, by=reviewer, note="Doublon")

    badge_request.refresh_from_db()
    assert (badge_request.state, badge_request.decided_by) == (State.CANCELLED, reviewer)
    assert "Doublon" in mail.outbox[0].body


def test_decision_rolled_back_sends_nothing(event, reviewer, django_capture_on_commit_callbacks):
    from django.db import transaction

    badge_request = BadgeRequestFactory(event=event)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        accreditation_approve(badge_request=badge_request, by=reviewer)
        raise RuntimeError

    assert callbacks == []
    assert mail.outbox == []
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED


def test_update_refused_once_decided(event, reviewer):
    badge_request = BadgeRequestFactory(event=event, state=State.APPROVED)

    with pytest.raises(AccreditationError) as error:
        badge_request_update(badge_request=badge_request, values={"phone": "1"}, files={})

    assert error.value.code == "not_editable"


def test_status_token_expires_after_the_event(db):
    past = EventFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=5),
        ends_on=timezone.localdate() - dt.timedelta(days=3),
    )
    current = BadgeRequestFactory()
    expired = BadgeRequestFactory(event=past)

    assert badge_request_by_token(current.token) == current
    assert badge_request_by_token(expired.token) is None
    assert badge_request_by_token("not-a-token") is None
    assert badge_request_by_token("") is None


def test_ics_escapes_text_and_folds_long_lines():
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = ics_fold("DESCRIPTION:" + "é" * 60)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "".join(line.removeprefix(" ") for line in lines) == "DESCRIPTION:" + "é" * 60


def test_ics_is_crlf_and_escaped(event):
    event.venue = "Hall 1; niveau 2, aile B"
    event.save()
    badge_request = BadgeRequestFactory(event=event, language="en")

    content = badge_collection_ics(badge_request=badge_request).decode()

    assert content.endswith("END:VCALENDAR\r\n")
    assert "\n" not in content.replace("\r\n", "")
    assert "LOCATION:Hall 1\\; niveau 2\\, aile B\\, Bruxelles\r\n" in content
    # The factory's request chose the first day only.
    assert f"DTEND;VALUE=DATE:{event.starts_on + dt.timedelta(days=1):%Y%m%d}" in content


def test_purge_removes_identity_documents_and_keeps_the_rest(db, settings):
    settings.IDENTITY_DOCUMENT_RETENTION_DAYS = 10
    event = EventFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=15),
        ends_on=timezone.localdate() - dt.timedelta(days=12),
    )
    badge_request = BadgeRequestFactory(
        event=event, letter=ContentFile(PDF_BYTES, name="letter.pdf")
    )
    card_name, letter_name = badge_request.press_card.name, badge_request.letter.name
    untouched = BadgeRequestFactory()

    removed = identity_documents_purge(event=event)

    assert removed == {"press_card": 1, "letter": 1}
    badge_request.refresh_from_db()
    assert (badge_request.press_card.name, badge_request.letter.name) == ("", "")
    assert badge_request.photo
    assert badge_request.documents_purged_at is not None
    assert badge_request.press_card_number == "BE-12345"
    assert not storages["private"].exists(card_name)
    assert not storages["private"].exists(letter_name)
    untouched.refresh_from_db()
    assert untouched.press_card


def test_purge_with_photos_removes_photos(db, settings):
    settings.IDENTITY_DOCUMENT_RETENTION_DAYS = 0
    event = EventFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=3),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    BadgeRequestFactory(event=event)

    removed = identity_documents_purge(event=event, include_photos=True)

    assert removed == {"press_card": 1, "letter": 0, "photo": 1}
    assert BadgeRequest.objects.get().photo.name == ""


def test_purge_refused_before_the_retention_period(settings, event):
    settings.IDENTITY_DOCUMENT_RETENTION_DAYS = 30
    BadgeRequestFactory(event=event)

    with pytest.raises(AccreditationError) as error:
        identity_documents_purge(event=event)

    assert error.value.code == "too_early"
    assert BadgeRequest.objects.get().press_card


def test_erasing_journalist_deletes_badge_requests_and_files(
    event, officer, django_capture_on_commit_callbacks
):
    journalist = JournalistFactory(email="gone@media.example")
    badge_request = BadgeRequestFactory(event=event, journalist=journalist, email=journalist.email)
    photo_name = badge_request.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        journalist_erase(journalist=journalist, by=officer)

    assert BadgeRequest.objects.count() == 0
    assert not storages["private"].exists(photo_name)


def test_erasure_rolled_back_keeps_the_files(event, officer, django_capture_on_commit_callbacks):
    journalist = JournalistFactory(email="kept@media.example")
    badge_request = BadgeRequestFactory(event=event, journalist=journalist, email=journalist.email)
    photo_name = badge_request.photo.name

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        journalist_erase(journalist=journalist, by=officer)
        raise RuntimeError("the erasure fails after the badge requests went")

    assert BadgeRequest.objects.filter(pk=badge_request.pk).exists()
    assert storages["private"].exists(photo_name)


def test_personal_data_export_lists_badge_requests(event):
    journalist = JournalistFactory(email="seen@media.example")
    BadgeRequestFactory(event=event, journalist=journalist, email=journalist.email)

    sections = dict(section(journalist) for section in PERSONAL_DATA_SECTIONS)

    assert [item["email"] for item in sections["accreditation"]] == ["seen@media.example"]
    assert sections["accreditation"][0]["documents_held"] == ["photo", "press_card"]


def test_emails_escape_what_the_journalist_typed(
    event, reviewer, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event, first_name="<script>alert(1)</script>")

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_reject(badge_request=badge_request, by=reviewer, note="<img src=x onerror=y>")

    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
