"""The badge PDF: A6 or four per A4 sheet, with or without a photo, its QR code readable
back to the badge's code, names in any European script with no missing glyph, words in
the journalist's language, and each print recorded."""

import io
import re

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image
from reportlab.lib.pagesizes import A4, A6
from reportlab.pdfbase import pdfmetrics

from press.accreditation.enums import BadgeRole
from press.badges.enums import BadgeState
from press.badges.errors import BadgeError
from press.badges.models import BadgePrint
from press.badges.printing import (
    FONT,
    FONT_BOLD,
    PHOTO_DPI,
    PHOTO_HEIGHT,
    PHOTO_WIDTH,
    ROLE_COLOURS,
    badge_face,
    badges_pdf,
    badges_print,
    fonts_register,
    photo_for_print,
)
from tests.factories.accreditation import image_bytes
from tests.factories.badges import BadgeFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Søren", "Łukasiewicz-Ğündoğdu"),
    ("Zoë", "O'Brien"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Ольга", "Смирнова"),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def pdf_of(badges, layout="a6") -> bytes:
    out = io.BytesIO()
    badges_pdf(badges=badges, out=out, layout=layout)
    return out.getvalue()


def pages(data: bytes):
    document = pypdfium2.PdfDocument(data)
    return document, [document[index] for index in range(len(document))]


def page_text(page) -> str:
    return page.get_textpage().get_text_range()


def qr_codes(page) -> list[str]:
    image = page.render(scale=300 / 72).to_pil()
    return sorted(result.text for result in zxingcpp.read_barcodes(image))


def test_badge_pdf_is_a6_portrait_with_everything_a_badge_shows():
    badge = BadgeFactory(
        badge_request__first_name="Zoë",
        badge_request__last_name="O'Brien",
        badge_request__outlet_name="Le Soir",
        badge_request__role="photographer",
        badge_request__language="en",
        badge_request__event__name={"fr": "Sommet des villes", "en": "Cities summit"},
    )
    document, (page,) = pages(pdf_of([badge]))
    width, height = page.get_size()
    assert (round(width), round(height)) == (round(A6[0]), round(A6[1]))
    text = page_text(page)
    assert "PRESSE / PRESS" in text
    assert "Cities summit" in text
    assert "Zoë O'Brien" in text
    assert "Le Soir" in text
    assert "PHOTOGRAPHER" in text
    assert "Days:" in text
    assert qr_codes(page) == [badge.code]


def test_badge_words_are_in_the_journalist_language():
    badge = BadgeFactory(
        badge_request__language="fr",
        badge_request__role="camera",
        badge_request__event__name={"fr": "Sommet des villes", "en": "Cities summit"},
    )
    # The office works in English; the journalist asked in French.
    _document, (page,) = pages(pdf_of([badge]))
    text = page_text(page)
    assert "Sommet des villes" in text
    assert "CADREUR·SE" in text
    assert re.search(r"Jours\s:", text)
    assert "Days" not in text
    # French typography: a narrow no-break space before the colon (the text layer of
    # the PDF reads it back as a plain space).
    assert badge_face(badge).days.startswith("Jours\u202f: ")


def test_badge_pdf_without_a_photo_still_prints_and_says_so():
    badge = BadgeFactory(badge_request__photo="", badge_request__language="en")
    _document, (page,) = pages(pdf_of([badge]))
    assert "No photo" in page_text(page)
    assert qr_codes(page) == [badge.code]


def test_badge_pdf_with_a_photo_embeds_it_at_print_resolution():
    big = image_bytes(3000, 4000, color=(200, 30, 30))
    badge = BadgeFactory(badge_request__photo=ContentFile(big, name="photo.jpg"))
    document, (page,) = pages(pdf_of([badge]))
    images = [obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1
    width, height = images[0].get_px_size()
    assert (width, height) == (
        round(PHOTO_WIDTH / 72 * PHOTO_DPI),
        round(PHOTO_HEIGHT / 72 * PHOTO_DPI),
    )
    assert "No photo" not in page_text(page)
    # The photo printed is red, not the dashed frame of a missing photo.
    rendered = page.render(scale=1).to_pil().convert("RGB")
    assert rendered.getpixel((int(20 * 72 / 25.4), int(rendered.height * 0.40)))[0] > 150


def test_photo_for_print_scales_down_and_reencodes():
    data = photo_for_print(io.BytesIO(image_bytes(2400, 1800, fmt="PNG")))
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (354, 472)


def test_photo_for_print_refuses_a_file_that_is_not_an_image():
    assert photo_for_print(io.BytesIO(b"%PDF-1.4 not a photo")) is None


def test_a_photo_that_is_not_an_image_prints_as_no_photo():
    badge = BadgeFactory(
        badge_request__photo=ContentFile(b"not an image at all", name="photo.jpg"),
        badge_request__language="en",
    )
    _document, (page,) = pages(pdf_of([badge]))
    assert "No photo" in page_text(page)


def test_names_in_any_european_script_are_in_the_text_with_no_missing_glyph():
    badges = [
        BadgeFactory(badge_request__first_name=first, badge_request__last_name=last)
        for first, last in NAMES
    ]
    data = pdf_of(badges)
    _document, found = pages(data)
    texts = [page_text(page) for page in found]
    for (first, last), text in zip(NAMES, texts, strict=True):
        assert f"{first} {last}" in text.replace("\r\n", " ").replace("\n", " ")
    # The names are set in the shipped font, embedded in the PDF …
    assert b"DejaVuSans-Bold" in data
    assert b"/Helvetica" not in data
    # … whose character map has every letter of them: none falls back to .notdef.
    fonts_register()
    for font_name in (FONT, FONT_BOLD):
        cmap = pdfmetrics.getFont(font_name).face.charToGlyph
        for first, last in NAMES:
            missing = [char for char in f"{first} {last}" if cmap.get(ord(char), 0) == 0]
            assert missing == []


def test_the_missing_glyph_check_catches_a_letter_the_font_lacks():
    fonts_register()
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    # A Chinese character: DejaVu Sans has none, so the check above would catch it.
    assert cmap.get(ord("漢"), 0) == 0


def test_four_badges_per_a4_sheet_with_crop_marks():
    badges = [BadgeFactory() for _ in range(5)]
    data = pdf_of(badges, layout="a4-4up")
    document, found = pages(data)
    assert len(found) == 2
    width, height = found[0].get_size()
    assert (round(width), round(height)) == (round(A4[0]), round(A4[1]))
    assert qr_codes(found[0]) == sorted(badge.code for badge in badges[:4])
    assert qr_codes(found[1]) == [badges[4].code]
    # Crop marks: eight short strokes at each badge's four corners.
    paths = [obj for obj in found[1].get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH]
    lines = []
    for obj in paths:
        left, bottom, right, top = obj.get_bounds()
        if (right - left < 1 and 5 < top - bottom < 12) or (
            top - bottom < 1 and 5 < right - left < 12
        ):
            lines.append(obj)
    assert len(lines) == 8


def test_one_badge_per_page_in_a6():
    badges = [BadgeFactory() for _ in range(3)]
    _document, found = pages(pdf_of(badges))
    assert [qr_codes(page) for page in found] == [[badge.code] for badge in badges]


def test_an_unknown_layout_is_refused():
    with pytest.raises(BadgeError) as error:
        pdf_of([BadgeFactory()], layout="a3")
    assert error.value.code == "layout"


def test_no_badge_makes_no_pdf():
    out = io.BytesIO()
    with pytest.raises(BadgeError) as error:
        badges_pdf(badges=[], out=out)
    assert error.value.code == "empty"
    assert out.getvalue() == b""


def test_badges_print_records_printed_at_by_and_a_log_row(officer):
    badge = BadgeFactory()
    badges_print(badges=[badge], by=officer, out=io.BytesIO())
    badge.refresh_from_db()
    assert badge.printed_by == officer
    assert badge.printed_at is not None
    (logged,) = BadgePrint.objects.filter(badge=badge)
    assert (logged.by, logged.reprint) == (officer, False)


def test_printing_again_is_recorded_as_a_reprint(officer, staff_user):
    badge = BadgeFactory()
    badges_print(badges=[badge], by=officer, out=io.BytesIO())
    other = staff_user("Accreditation reviewer")
    badges_print(badges=[badge], by=other, out=io.BytesIO())
    badge.refresh_from_db()
    assert badge.printed_by == other
    assert list(BadgePrint.objects.filter(badge=badge).values_list("by", "reprint")) == [
        (officer.pk, False),
        (other.pk, True),
    ]


@pytest.mark.parametrize("state", [BadgeState.REPLACED, BadgeState.REVOKED])
def test_a_replaced_or_revoked_badge_is_not_printed(officer, state):
    badge = BadgeFactory(state=state)
    out = io.BytesIO()
    with pytest.raises(BadgeError) as error:
        badges_print(badges=[badge], by=officer, out=out)
    assert error.value.code == "not_active"
    assert out.getvalue() == b""
    assert not BadgePrint.objects.exists()
    badge.refresh_from_db()
    assert badge.printed_at is None


def test_a_failed_pdf_records_nothing(officer):
    badge = BadgeFactory()

    class Broken(io.BytesIO):
        def write(self, data):
            raise OSError("disk full")

    with pytest.raises(OSError):
        badges_print(badges=[badge], by=officer, out=Broken())
    badge.refresh_from_db()
    assert badge.printed_at is None
    assert not BadgePrint.objects.exists()


def test_badge_face_reads_the_photo_once_per_badge(django_assert_num_queries):
    badge = BadgeFactory()
    with django_assert_num_queries(0):
        face = badge_face(badge)
    assert face.photo is not None
    assert face.code == badge.code


@pytest.mark.parametrize("role", [choice.value for choice in BadgeRole])
def test_each_role_prints_on_its_own_colour_band(role):
    badge = BadgeFactory(badge_request__role=role)
    _document, (page,) = pages(pdf_of([badge]))
    image = page.render(scale=1).to_pil().convert("RGB")
    # The band fills the foot of the card; read it near the left edge, clear of text.
    band = image.getpixel((3, image.height - 5))
    colour = ROLE_COLOURS[role]
    assert band == tuple(round(part * 255) for part in (colour.red, colour.green, colour.blue))


def test_role_colours_are_distinct():
    assert set(ROLE_COLOURS) == set(BadgeRole.values)
    assert len({colour.hexval() for colour in ROLE_COLOURS.values()}) == len(ROLE_COLOURS)


def page_sizes_mm(data: bytes) -> list[tuple[int, int]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        (
            round(float(page.mediabox.width) / 72 * 25.4),
            round(float(page.mediabox.height) / 72 * 25.4),
        )
        for page in reader.pages
    ]


@pytest.mark.parametrize(
    ("layout", "count", "expected_pages", "size_mm"),
    [("a6", 7, 7, (105, 148)), ("a4-4up", 9, 3, (210, 297))],
)
def test_a_run_longer_than_a_batch_is_joined_into_one_pdf_in_order(
    officer, layout, count, expected_pages, size_mm
):
    badges = [BadgeFactory() for _ in range(count)]
    out = io.BytesIO()
    # Batches of 2 badges (4 in 4-up: whole sheets): several temporary files joined.
    badges_pdf(badges=iter(badges), out=out, layout=layout, batch_badges=2)
    data = out.getvalue()
    assert page_sizes_mm(data) == [size_mm] * expected_pages
    assert pypdf.PdfReader(io.BytesIO(data)).metadata.title == "Press badges"
    _document, found = pages(data)
    per_page = 1 if layout == "a6" else 4
    assert [qr_codes(page) for page in found] == [
        sorted(badge.code for badge in badges[start : start + per_page])
        for start in range(0, count, per_page)
    ]


def test_a_joined_run_keeps_the_names_in_their_scripts():
    badges = [
        BadgeFactory(badge_request__first_name=first, badge_request__last_name=last)
        for first, last in NAMES
    ]
    data = pdf_of_batched(badges, batch_badges=1)
    _document, found = pages(data)
    assert len(found) == len(NAMES)
    for page, (first, last) in zip(found, NAMES, strict=True):
        assert f"{first} {last}" in " ".join(page_text(page).split())


def pdf_of_batched(badges, *, batch_badges: int, layout="a6") -> bytes:
    out = io.BytesIO()
    badges_pdf(badges=badges, out=out, layout=layout, batch_badges=batch_badges)
    return out.getvalue()


@pytest.mark.parametrize(
    ("layout", "count", "size_mm"), [("a6", 5, (105, 148)), ("a4-4up", 5, (210, 297))]
)
def test_badges_print_writes_the_right_pages_and_sizes(officer, layout, count, size_mm):
    badges = [BadgeFactory() for _ in range(count)]
    out = io.BytesIO()
    badges_print(badges=badges, by=officer, out=out, layout=layout)
    expected = count if layout == "a6" else 2
    assert page_sizes_mm(out.getvalue()) == [size_mm] * expected
