import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from press.accreditation.uploads import MAX_BYTES, document_clean, photo_clean
from tests.factories.accreditation import PDF_BYTES, image_bytes


@pytest.fixture(autouse=True)
def _french():
    # Messages are asserted in French, the office's default language.
    with translation.override("fr"):
        yield


def _upload(content: bytes, name="file.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size; its pixels were never written (a bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif.get_ifd(0x8825)[2] = (50.0, 50.0, 0.0)  # GPSLatitude
    return exif.tobytes()


def test_photo_jpeg_is_reencoded_without_exif():
    original = image_bytes(600, 800, exif=_gps_exif())
    assert Image.open(BytesIO(original)).getexif()[0x010F] == "SpyCam"

    cleaned = photo_clean(_upload(original, "holiday.JPG"))

    image = Image.open(BytesIO(cleaned.read()))
    assert (image.format, image.size) == ("JPEG", (600, 800))
    assert dict(image.getexif()) == {}
    assert cleaned.name == "photo.jpg"


def test_photo_png_is_accepted_and_stays_png():
    cleaned = photo_clean(_upload(image_bytes(400, 500, fmt="PNG"), "me.png"))

    assert Image.open(BytesIO(cleaned.read())).format == "PNG"
    assert cleaned.name == "photo.png"


def test_photo_too_small_is_refused_with_its_size():
    with pytest.raises(ValidationError) as error:
        photo_clean(_upload(image_bytes(399, 500)))

    assert error.value.code == "too_small"
    assert error.value.messages == [
        "Cette photo fait 399×500 pixels\u202f; elle doit faire au moins 400×500."
    ]


def test_photo_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as error:
        photo_clean(_upload(b"<?php echo 'hello'; ?>", "photo.jpg"))

    assert error.value.code == "not_an_image"


def test_photo_in_another_format_is_refused():
    with pytest.raises(ValidationError) as error:
        photo_clean(_upload(image_bytes(400, 500, fmt="GIF"), "photo.jpg"))

    assert error.value.code == "not_an_image"


def test_photo_over_ten_megabytes_is_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * MAX_BYTES)

    with pytest.raises(ValidationError) as error:
        photo_clean(big)

    assert error.value.code == "too_large"
    assert error.value.messages == [
        ("Ce fichier fait 10,0\xa0Mio\u202f; la limite est de 10,0\xa0Mio.")
    ]


def test_photo_over_forty_megapixels_is_refused_before_decoding():
    # The header says 8000×6000; the pixel data is missing, so decoding would fail
    # with another code: this refusal proves nothing was decoded.
    with pytest.raises(ValidationError) as error:
        photo_clean(_upload(_png_header_only(8000, 6000), "photo.png"))

    assert error.value.code == "too_many_pixels"


def test_decompression_bomb_is_refused():
    with pytest.raises(ValidationError) as error:
        photo_clean(_upload(_png_header_only(100_000, 100_000), "bomb.png"))

    assert error.value.code == "too_many_pixels"
    assert error.value.messages == ["Cette image est trop grande pour être ouverte sans risque."]


def test_truncated_photo_is_refused():
    whole = image_bytes(600, 800)

    with pytest.raises(ValidationError) as error:
        photo_clean(_upload(whole[: len(whole) // 2]))

    assert error.value.code == "broken_image"


def test_document_pdf_is_kept_under_a_safe_name():
    cleaned = document_clean(_upload(PDF_BYTES, "../../etc/card.exe"), name="press-card")

    assert cleaned.name == "press-card.pdf"
    assert cleaned.read().startswith(b"%PDF-")


def test_document_image_is_accepted():
    cleaned = document_clean(_upload(image_bytes(800, 500, fmt="PNG"), "card.pdf"), name="letter")

    assert cleaned.name == "letter.png"


def test_document_of_another_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        document_clean(_upload(b"PK\x03\x04 a zip file", "card.pdf"), name="press-card")

    assert error.value.code == "bad_document"
    assert error.value.messages == ["Ce fichier n'est pas un document PDF, JPEG ou PNG."]


def test_document_over_ten_megabytes_is_refused():
    big = SimpleUploadedFile("card.pdf", PDF_BYTES + b"0" * MAX_BYTES)

    with pytest.raises(ValidationError) as error:
        document_clean(big, name="press-card")

    assert error.value.code == "too_large"
