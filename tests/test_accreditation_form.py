"""The request form after a mistake: files kept for 24 hours, an error summary that
links to each field, a title that starts with the error, messages about the field."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from press.accreditation.kept import (
    FOLDER,
    upload_keep,
    upload_kept,
    uploads_kept_purge,
)
from press.accreditation.models import BadgeRequest
from press.core.storage import private_storage
from tests.factories import EventFactory
from tests.factories.accreditation import PDF_BYTES, image_bytes
from tests.test_accreditation_views import _post_data

N = "\u202f"
FORM_URL = "/fr/accreditation/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def kept_token(html: str, name: str) -> str:
    match = re.search(rf'name="kept_{name}" value="([^"]+)"', html)
    assert match, f"no kept {name}"
    return match[1]


def test_files_survive_a_validation_error_and_are_used_on_the_next_submission(client):
    event = EventFactory()
    photo = image_bytes(600, 800)

    first = client.post(
        FORM_URL,
        _post_data(
            event,
            first_name="",
            photo=SimpleUploadedFile("portrait-lea.jpg", photo),
            press_card=SimpleUploadedFile("carte.pdf", PDF_BYTES),
        ),
    )
    html = first.content.decode()

    assert first.status_code == 200
    assert BadgeRequest.objects.count() == 0
    assert f"Votre fichier est conservé{N}: <strong>portrait-lea.jpg</strong>" in html
    assert f"Votre fichier est conservé{N}: <strong>carte.pdf</strong>" in html
    data = _post_data(
        event,
        photo=None,
        press_card=None,
        kept_photo=kept_token(html, "photo"),
        kept_press_card=kept_token(html, "press_card"),
    )

    second = client.post(FORM_URL, data)

    assert second.status_code == 302
    badge_request = BadgeRequest.objects.get()
    assert badge_request.photo.name and badge_request.press_card.name
    with badge_request.press_card.open("rb") as card:
        # Stored as rewritten without active content (press.core.uploads), still a PDF.
        assert card.read().startswith(b"%PDF-")
    # Copied into the request: the kept copies are gone.
    assert upload_kept(token=data["kept_photo"]) is None


def test_a_new_file_replaces_the_kept_one(client):
    event = EventFactory()
    first = client.post(FORM_URL, _post_data(event, last_name=""))
    token = kept_token(first.content.decode(), "photo")

    second = client.post(
        FORM_URL,
        _post_data(
            event,
            last_name="",
            kept_photo=token,
            photo=SimpleUploadedFile("nouvelle.png", image_bytes(500, 600, fmt="PNG")),
        ),
    )

    assert "<strong>nouvelle.png</strong>" in second.content.decode()
    assert kept_token(second.content.decode(), "photo") != token


def test_a_kept_token_from_another_session_is_refused(client, django_user_model):
    event = EventFactory()
    other_token = upload_keep(
        file=SimpleUploadedFile("photo.jpg", image_bytes(600, 800)), original_name="autre.jpg"
    )

    response = client.post(FORM_URL, _post_data(event, photo=None, kept_photo=other_token))

    assert BadgeRequest.objects.count() == 0
    assert response.context["form"].errors["photo"] == ["Ajoutez une photo pour votre badge."]
    assert "autre.jpg" not in response.content.decode()


def test_a_photo_that_fails_its_check_is_not_kept(client):
    event = EventFactory()

    response = client.post(
        FORM_URL, _post_data(event, photo=SimpleUploadedFile("petite.jpg", image_bytes(300, 300)))
    )

    assert "petite.jpg" not in response.content.decode()
    assert 'name="kept_photo"' not in response.content.decode()


def test_kept_files_expire_after_24_hours_and_the_purge_deletes_them(db):
    now = timezone.now()
    old = upload_keep(
        file=SimpleUploadedFile("photo.jpg", b"old"),
        original_name="old.jpg",
        now=now - dt.timedelta(hours=24, minutes=1),
    )
    fresh = upload_keep(
        file=SimpleUploadedFile("photo.jpg", b"fresh"),
        original_name="fresh.jpg",
        now=now - dt.timedelta(hours=23),
    )

    assert upload_kept(token=old, now=now) is None
    assert upload_kept(token=fresh, now=now).content == b"fresh"
    assert uploads_kept_purge(now=now) == 1
    assert private_storage().listdir(f"{FOLDER}/{old}")[1] == []
    assert upload_kept(token=fresh, now=now) is not None


def test_purge_command_deletes_expired_kept_files(db):
    old = upload_keep(
        file=SimpleUploadedFile("photo.jpg", b"old"),
        original_name="old.jpg",
        now=timezone.now() - dt.timedelta(days=2),
    )
    out = StringIO()

    call_command("purge_identity_documents", stdout=out)

    assert "1 kept upload" in out.getvalue()
    assert private_storage().listdir(f"{FOLDER}/{old}")[1] == []


def test_error_summary_links_each_error_to_its_field_and_title_says_error(client):
    event = EventFactory()

    response = client.post(
        FORM_URL,
        _post_data(event, first_name="", email="pas-une-adresse", days=None, consent=None),
    )
    html = response.content.decode()

    assert re.search(r"<title>Erreur\u202f: Accréditation presse", html)
    assert 'id="form-errors" tabindex="-1"' in html
    assert "accreditation/form.js" in html
    assert f'<a href="#id_first_name">Prénom{N}: Indiquez votre prénom.</a>' in html
    assert (
        f'<a href="#id_email">E-mail{N}: Indiquez une adresse e-mail de la forme nom@media.fr.</a>'
        in html
    )
    assert f'<a href="#id_days_0">Jours de présence{N}: Choisissez au moins un jour.</a>' in html
    assert "Cochez la case pour accepter le traitement de vos données personnelles." in html
    assert f"corrigez 4{N}erreurs" not in html  # no stray space after the number
    assert "corrigez 4 erreurs." in html


def test_error_summary_in_english(client):
    event = EventFactory()

    response = client.post("/en/accreditation/", _post_data(event, phone="", outlet_name=""))
    html = response.content.decode()

    assert "<title>Error: Press accreditation" in html
    assert "Your request was not sent: correct 2 errors." in html
    assert (
        '<a href="#id_phone">Phone: Enter a phone number where the press office can reach you.</a>'
        in html
    )
    assert '<a href="#id_outlet_name">Outlet: Enter the name of your outlet.</a>' in html


def test_form_without_error_has_a_plain_title_and_no_summary(client):
    EventFactory()

    html = client.get(FORM_URL).content.decode()

    assert "<title>Accréditation presse" in html
    assert 'id="form-errors"' not in html


def test_inputs_carry_types_autocomplete_and_required_marks(client):
    EventFactory()

    html = client.get(FORM_URL).content.decode()

    assert re.search(r'<input type="tel" name="phone" autocomplete="tel"[^>]*required', html)
    assert re.search(r'<input type="email" name="email" autocomplete="email"', html)
    assert 'autocomplete="given-name"' in html and 'autocomplete="family-name"' in html
    assert 'autocomplete="organization"' in html
    assert '<label for="id_first_name" class="required">' in html
    assert '<label for="id_outlet_website">' in html  # optional: not marked
    assert "sont obligatoires." in html
