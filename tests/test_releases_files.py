import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from press.core import uploads
from press.core.sanitise import sanitise_html
from press.releases.enums import AttachmentKind
from press.releases.models import Attachment
from tests.factories import ReleaseFactory, ReleaseVersionFactory
from tests.factories.releases import PDF_BYTES, image_bytes, pdf_file, photo_file

HOSTILE = (
    '<p onclick="steal()" style="color:red">Bonjour <script>alert(1)</script>'
    '<a href="javascript:alert(1)">clic</a><iframe src="https://evil.example"></iframe>'
    '<img src="x" onerror="steal()"><style>p{}</style></p>'
)


def test_sanitise_html_neutralises_hostile_markup():
    assert sanitise_html(HOSTILE) == (
        '<p>Bonjour <a rel="noopener noreferrer">clic</a><img src="x"></p>'
    )


def test_sanitise_html_keeps_the_allow_list():
    html = (
        "<h2>Titre</h2><h3>Sous-titre</h3><p><strong>gras</strong> <em>ital</em></p>"
        "<ul><li>un</li></ul><ol><li>deux</li></ol><blockquote><p>cite</p></blockquote>"
        '<table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td>1</td></tr>'
        '</tbody></table><p><img src="https://cdn.example/a.jpg" alt="Photo"></p>'
    )

    assert sanitise_html(html) == html


def test_sanitise_html_adds_rel_to_links_and_drops_data_urls():
    html = '<a href="https://example.org">ok</a><img src="data:image/png;base64,AAAA">'

    assert sanitise_html(html) == (
        '<a href="https://example.org" rel="noopener noreferrer">ok</a><img>'
    )


def test_sanitise_html_of_nothing_is_empty():
    assert sanitise_html(None) == ""
    assert sanitise_html("") == ""


@pytest.mark.django_db
def test_release_version_body_is_sanitised_on_save():
    version = ReleaseVersionFactory(body=HOSTILE)

    version.refresh_from_db()
    assert "script" not in version.body
    assert "onclick" not in version.body
    assert "javascript:" not in version.body
    assert "iframe" not in version.body
    assert "style" not in version.body


@pytest.mark.django_db
def test_release_version_body_is_sanitised_with_update_fields():
    version = ReleaseVersionFactory()
    version.title = "Nouveau titre"
    version.body = "<p>ok</p><script>alert(1)</script>"

    version.save(update_fields=["title"])

    version.refresh_from_db()
    assert (version.title, version.body) == ("Nouveau titre", "<p>ok</p>")


def test_attachment_check_accepts_pdf_and_images():
    uploads.attachment_check(SimpleUploadedFile("a.pdf", PDF_BYTES))
    uploads.attachment_check(SimpleUploadedFile("b.png", image_bytes(format="PNG")))
    uploads.attachment_check(SimpleUploadedFile("c.jpg", image_bytes()))


def test_attachment_check_judges_content_not_name():
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 this is an executable")

    with pytest.raises(ValidationError) as error:
        uploads.attachment_check(fake)

    assert error.value.code == "unsupported_type"
    with translation.override("en"):
        assert error.value.messages == [
            "Only PDF documents and images (JPEG, PNG, WebP or GIF) can be attached; "
            "this file is neither."
        ]
    assert uploads.attachment_kind(SimpleUploadedFile("photo.txt", image_bytes())) == "image"


def test_attachment_check_refuses_a_truncated_image():
    broken = SimpleUploadedFile("photo.jpg", image_bytes()[:200])

    with pytest.raises(ValidationError) as error:
        uploads.attachment_check(broken)

    assert error.value.code == "unsupported_type"


def test_attachment_check_refuses_a_file_over_the_limit(settings):
    settings.ATTACHMENT_MAX_BYTES = 100

    with pytest.raises(ValidationError) as error:
        uploads.attachment_check(SimpleUploadedFile("a.pdf", PDF_BYTES))

    assert error.value.code == "too_large"
    with translation.override("en"):
        assert error.value.messages == [
            f"This file is {len(PDF_BYTES)}\xa0bytes; the limit is 100\xa0bytes."
        ]


def test_attachment_size_limit_defaults_to_25_mb(settings):
    from press import settings as project_settings

    assert project_settings.ATTACHMENT_MAX_BYTES == 25 * 1024 * 1024


def test_image_check_refuses_a_pdf():
    with pytest.raises(ValidationError) as error:
        uploads.photo_check(SimpleUploadedFile("photo.jpg", PDF_BYTES))

    assert error.value.code == "not_an_image"


def test_image_check_refuses_a_decompression_bomb(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    with pytest.raises(ValidationError) as error:
        uploads.photo_check(
            SimpleUploadedFile("huge.png", image_bytes(size=(200, 200), format="PNG"))
        )

    assert error.value.code == "too_many_pixels"


@pytest.mark.django_db
def test_attachment_image_gets_a_thumbnail_and_keeps_the_original():
    original = image_bytes(size=(1600, 1200))
    attachment = Attachment.objects.create(
        release=ReleaseFactory(), file=ContentFile(original, name="Place Flagey.jpg")
    )

    attachment.refresh_from_db()
    assert attachment.kind == AttachmentKind.IMAGE
    assert attachment.size == len(original)
    assert attachment.filename == "Place_Flagey.jpg"
    with attachment.file.open("rb") as stored:
        assert stored.read() == original
    with attachment.thumbnail.open("rb") as stored, Image.open(stored) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 360))


@pytest.mark.django_db
def test_attachment_pdf_has_no_thumbnail():
    attachment = Attachment.objects.create(release=ReleaseFactory(), file=pdf_file("dossier.pdf"))

    attachment.refresh_from_db()
    assert (attachment.kind, attachment.size, attachment.thumbnail.name) == (
        AttachmentKind.PDF,
        len(PDF_BYTES),
        "",
    )


@pytest.mark.django_db
def test_attachment_files_live_in_unguessable_folders():
    first = Attachment.objects.create(release=ReleaseFactory(), file=photo_file("a.jpg"))
    second = Attachment.objects.create(release=ReleaseFactory(), file=photo_file("a.jpg"))

    first_folder = first.file.name.rsplit("/", 2)[-2]
    assert len(first_folder) >= 20
    assert first_folder != second.file.name.rsplit("/", 2)[-2]
    assert first.filename == second.filename == "a.jpg"


@pytest.mark.django_db
def test_attachment_model_validation_refuses_a_fake_pdf():
    attachment = Attachment(
        release=ReleaseFactory(),
        file=SimpleUploadedFile("programme.pdf", b"<html><script>alert(1)</script></html>"),
    )

    with pytest.raises(ValidationError) as error:
        attachment.full_clean()

    assert list(error.value.message_dict) == ["file"]


def _png_claiming(size) -> SimpleUploadedFile:
    # A one-bit image compresses to a few kilobytes whatever its size in pixels.
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")
    return SimpleUploadedFile("huge.png", out.getvalue(), content_type="image/png")


def test_attachment_check_refuses_an_image_over_the_pixel_limit_from_its_header():
    upload = _png_claiming((10_000, 6_100))

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        uploads.attachment_check(upload)

    assert caught.value.code == "too_many_pixels"
    with translation.override("en"):
        assert caught.value.messages == [
            "This image is 10000×6100 pixels; the limit is 60 megapixels."
        ]


def test_image_open_checked_refuses_a_decompression_bomb_before_decoding():
    upload = _png_claiming((2_000, 1_500))

    with pytest.raises(ValidationError) as caught:
        uploads.image_open_checked(upload, max_pixels=1_000_000)

    assert caught.value.code == "too_many_pixels"


def test_image_open_checked_refuses_a_format_not_asked_for():
    upload = SimpleUploadedFile("photo.png", image_bytes(format="PNG"))

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        uploads.image_open_checked(upload, formats={"JPEG"})

    assert caught.value.code == "not_an_image"
    with translation.override("en"):
        assert caught.value.messages == ["This file is not an image Presse can read (JPEG)."]


def test_image_without_metadata_drops_exif_and_keeps_the_pixels():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(out, "JPEG", exif=exif)
    image = uploads.image_open_checked(SimpleUploadedFile("p.jpg", out.getvalue()))

    cleaned = uploads.image_without_metadata(image, format="JPEG")

    with Image.open(io.BytesIO(cleaned)) as result:
        assert (result.format, result.size, dict(result.getexif())) == ("JPEG", (640, 480), {})


@pytest.mark.django_db
def test_release_featured_image_gets_a_thumbnail_for_the_list():
    release = ReleaseFactory(featured_image=photo_file("une.jpg", size=(1600, 900)))

    with release.featured_thumbnail.open("rb") as stored, Image.open(stored) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 270))
    assert release.featured_thumbnail.name.endswith("/une.jpg")

    release.featured_image = ""
    release.save()
    assert release.featured_thumbnail.name == ""
