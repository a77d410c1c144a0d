"""Press cards and letters: stored without metadata or active content, served so that
nothing in them runs, and opened only by press officers and reviewers."""

from io import BytesIO

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from press.accreditation.uploads import document_clean
from tests.factories import JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory, image_bytes


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif.get_ifd(0x8825)[2] = (50.0, 50.0, 0.0)  # GPSLatitude
    return exif.tobytes()


def _active_pdf() -> bytes:
    """A one-page PDF carrying every kind of active content the check removes."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    pdf.Root.OpenAction = script
    pdf.Root.AA = pikepdf.Dictionary(WC=script)
    page.obj.AA = pikepdf.Dictionary(O=script)
    embedded = pikepdf.Stream(pdf, b"MZ evil")
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), script])),
        EmbeddedFiles=pikepdf.Dictionary(
            Names=pikepdf.Array(
                [
                    pikepdf.String("evil.exe"),
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Filespec, EF=pikepdf.Dictionary(F=embedded)
                    ),
                ]
            )
        ),
    )
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 100, 100, 200]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://lesoir.example")),
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"),
            Rect=pikepdf.Array([0, 200, 100, 300]),
            AA=pikepdf.Dictionary(K=script),
        )
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([launch, link, field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_press_card_jpeg_is_reencoded_without_its_gps_position():
    original = image_bytes(800, 500, exif=_gps_exif())

    cleaned = document_clean(SimpleUploadedFile("card.jpg", original), name="press-card")

    image = Image.open(BytesIO(cleaned.read()))
    assert (image.format, image.size) == ("JPEG", (800, 500))
    assert dict(image.getexif()) == {}
    assert b"SpyCam" not in cleaned.read()
    assert cleaned.name == "press-card.jpg"


def test_letter_pdf_is_rewritten_without_active_content():
    original = _active_pdf()

    cleaned = document_clean(SimpleUploadedFile("letter.pdf", original), name="letter")

    assert cleaned.name == "letter.pdf"
    pdf = pikepdf.open(BytesIO(cleaned.read()))
    assert len(pdf.pages) == 1
    for key in ("/OpenAction", "/AA", "/AcroForm"):
        assert key not in pdf.Root
    assert "/JavaScript" not in pdf.Root.get("/Names", {})
    assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
    page = pdf.pages[0].obj
    assert "/AA" not in page
    annotations = list(page.get("/Annots", []))
    assert [str(a.Subtype) for a in annotations] == ["/Link", "/Link"]
    assert "/A" not in annotations[0]
    assert str(annotations[1].A.URI) == "https://lesoir.example"
    raw = cleaned.read()
    assert b"app.alert" not in raw and b"calc.exe" not in raw and b"MZ evil" not in raw


def test_pdf_that_does_not_open_is_refused_with_a_message():
    with pytest.raises(ValidationError) as refused:
        document_clean(SimpleUploadedFile("card.pdf", b"%PDF-1.7\nnot really"), name="press-card")

    assert refused.value.code == "broken_pdf"
    assert refused.value.messages == ["Ce PDF est endommagé et ne peut pas être lu."]


def test_password_protected_pdf_is_refused_with_a_message():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="secret"))

    with pytest.raises(ValidationError) as refused:
        document_clean(SimpleUploadedFile("card.pdf", out.getvalue()), name="press-card")

    assert refused.value.code == "encrypted_pdf"
    assert refused.value.messages == [
        "Ce PDF est protégé par un mot de passe\u202f; envoyez-le sans cette protection."
    ]


# Serving ------------------------------------------------------------------------------


def _request_with_image_card(event):
    return BadgeRequestFactory(
        event=event, press_card=ContentFile(image_bytes(800, 500), name="press-card.jpg")
    )


def test_photo_opens_in_the_browser_inside_a_sandbox(client, event, staff_user):
    badge_request = BadgeRequestFactory(event=event)
    client.force_login(staff_user("Accreditation reviewer"))

    response = client.get(f"/private/badge-requests/{badge_request.pk}/photo/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="photo.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    response.close()


@pytest.mark.parametrize("kind", ["press_card", "letter"])
def test_identity_documents_always_download(client, event, staff_user, kind):
    badge_request = BadgeRequestFactory(
        event=event,
        press_card=ContentFile(image_bytes(800, 500), name="press-card.jpg"),
        letter=ContentFile(_active_pdf(), name="letter.pdf"),
    )
    client.force_login(staff_user("Press officer"))

    response = client.get(f"/private/badge-requests/{badge_request.pk}/{kind}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    response.close()


def test_viewer_sees_photos_but_not_identity_documents(client, event, staff_user):
    badge_request = _request_with_image_card(event)
    client.force_login(staff_user("Viewer"))

    photo = client.get(f"/private/badge-requests/{badge_request.pk}/photo/")
    card = client.get(f"/private/badge-requests/{badge_request.pk}/press_card/")
    page = client.get(f"/admin/accreditation/badgerequest/{badge_request.pk}/change/")

    photo.close()
    assert photo.status_code == 200
    assert card.status_code == 403
    body = page.content.decode()
    assert f"/private/badge-requests/{badge_request.pk}/photo/" in body
    assert f"/private/badge-requests/{badge_request.pk}/press_card/" not in body


def test_reviewer_opens_identity_documents(client, event, staff_user):
    badge_request = _request_with_image_card(event)
    client.force_login(staff_user("Accreditation reviewer"))

    response = client.get(f"/private/badge-requests/{badge_request.pk}/press_card/")
    response.close()

    assert response.status_code == 200


# Exports of personal data -------------------------------------------------------------


def test_viewer_cannot_export_personal_data(client, event, staff_user):
    journalist = JournalistFactory()
    BadgeRequestFactory(event=event)
    client.force_login(staff_user("Viewer"))

    accreditations = client.get("/admin/accreditation/badgerequest/export/")
    contacts = client.get("/admin/contacts/journalist/export/")
    personal = client.get(f"/admin/contacts/journalist/{journalist.pk}/personal-data/")
    listing = client.get("/admin/contacts/journalist/").content.decode()

    assert (accreditations.status_code, contacts.status_code, personal.status_code) == (
        403,
        403,
        403,
    )
    assert "/admin/contacts/journalist/export/" not in listing


def test_viewer_has_no_export_action(client, event, staff_user):
    BadgeRequestFactory(event=event)
    JournalistFactory()
    client.force_login(staff_user("Viewer"))

    requests = client.get("/admin/accreditation/badgerequest/").content.decode()
    journalists = client.get("/admin/contacts/journalist/").content.decode()

    assert 'value="export_selected"' not in requests
    assert 'value="export_selected"' not in journalists


def test_reviewer_exports_badge_requests_and_officer_exports_contacts(client, event, staff_user):
    journalist = JournalistFactory()
    BadgeRequestFactory(event=event)
    client.force_login(staff_user("Accreditation reviewer"))
    by_reviewer = client.get("/admin/accreditation/badgerequest/export/")
    client.force_login(staff_user("Press officer"))
    contacts = client.get("/admin/contacts/journalist/export/")
    personal = client.get(f"/admin/contacts/journalist/{journalist.pk}/personal-data/")
    by_reviewer.close()
    contacts.close()

    assert (by_reviewer.status_code, contacts.status_code, personal.status_code) == (
        200,
        200,
        200,
    )
