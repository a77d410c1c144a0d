"""Printable badges (reportlab): one per A6 page, or four per A4 sheet with crop marks.

A badge shows the event's name and dates, PRESSE / PRESS, the photo, the full name, the
outlet, the role on a colour band, the days attending and the QR code of its code; its
words are in the journalist's language (the request's). Text is set in DejaVu Sans,
shipped in press/badges/fonts/ (its licence beside it), which covers Latin, Greek and
Cyrillic: the PDF's built-in fonts would print "Ł", "Ğ", Greek or Cyrillic letters as
boxes.

Memory: each photo is decoded at reduced size, cut to the printed frame at print
resolution (PHOTO_DPI) and re-encoded as a small JPEG before it is drawn, so that a
sheet of photos costs the same whatever the uploaded sizes. A reportlab canvas keeps
every page it has drawn until it is saved, so a large print run is drawn in batches of
BATCH_BADGES badges, each saved to a temporary file, and the batches are then joined
into the one output PDF with pikepdf, which copies their pages' streams from the files
as it writes: memory stays that of one batch whatever the number of badges.
"""

import contextlib
import io
import itertools
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from press.accreditation.enums import BadgeRole
from press.accreditation.models import BadgeRequest
from press.badges.enums import BadgeState
from press.badges.errors import BadgeError
from press.badges.models import Badge, BadgePrint
from press.badges.qr import badge_qr
from press.core.dates import date_range, day_of_week
from press.core.typing import StaffMember

# Photo streams are stored as they are: ASCII85 would make 1,000 photos 10× slower.
rl_config.useA85 = 0

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "PresseBadgeSans"
FONT_BOLD = "PresseBadgeSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

LAYOUT_A6 = "a6"
LAYOUT_A4_4UP = "a4-4up"
LAYOUTS = (LAYOUT_A6, LAYOUT_A4_4UP)

BADGE_WIDTH, BADGE_HEIGHT = A6
PHOTO_WIDTH, PHOTO_HEIGHT = 30 * mm, 40 * mm
PHOTO_DPI = 300
QR_SIZE = 42 * mm
MARGIN = 6 * mm
ROLE_BAND_HEIGHT = 17 * mm
HEADER_HEIGHT = 21 * mm
INK = HexColor("#1d2733")
HEADER = HexColor("#0b3d63")
MUTED = HexColor("#5b6775")
# One colour per role, readable with white text, told apart at a glance at the door.
ROLE_COLOURS: dict[str, Color] = {
    BadgeRole.JOURNALIST: HexColor("#1f5fa8"),
    BadgeRole.PHOTOGRAPHER: HexColor("#c25e00"),
    BadgeRole.CAMERA: HexColor("#b3261e"),
    BadgeRole.TECHNICIAN: HexColor("#2e7d32"),
    BadgeRole.EDITOR: HexColor("#6a3d9a"),
}

# Four badges on an A4 sheet: each a little smaller than A6 (it still fits an A6
# holder), with room around for the crop marks.
SHEET_GAP = 6 * mm
CELL_SCALE = (A4[0] - 2 * SHEET_GAP - SHEET_GAP) / 2 / BADGE_WIDTH
CROP_MARK = 3 * mm
CROP_OFFSET = 1 * mm

# Badges drawn on one canvas before it is saved to a temporary file (a multiple of the
# four badges of a sheet, so that only the last sheet of a run is ever partly empty).
BATCH_BADGES = 100


def fonts_register() -> None:
    """Register the shipped fonts with reportlab (once per process)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


@dataclass(frozen=True)
class BadgeFace:
    """What one badge shows, in the journalist's language."""

    code: str
    event_name: str
    event_dates: str
    full_name: str
    outlet: str
    role: str
    role_label: str
    days: str
    photo: bytes | None
    photo_label: str


def photo_for_print(file: Any) -> bytes | None:
    """The photo in `file` (binary) cut to the badge's frame (3:4) at print resolution
    and re-encoded as a JPEG; None when it is not a readable image. Decoding a JPEG at a
    reduced size first keeps memory small whatever the size of the upload."""
    size = (round(PHOTO_WIDTH / 72 * PHOTO_DPI), round(PHOTO_HEIGHT / 72 * PHOTO_DPI))
    try:
        with Image.open(file) as image:
            image.draft("RGB", size)
            image = ImageOps.exif_transpose(image).convert("RGB")
            image = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return out.getvalue()


def badge_face(badge: Badge) -> BadgeFace:
    """What `badge` shows, its words in its request's language."""
    badge_request: BadgeRequest = badge.badge_request
    event = badge_request.event
    photo = None
    if badge_request.photo:
        try:
            with badge_request.photo.open("rb") as file:
                photo = photo_for_print(file)
        except (FileNotFoundError, OSError):
            photo = None
    with translation.override(badge_request.language):
        days = ", ".join(day_of_week(day, short=True) for day in badge_request.attending_days())
        return BadgeFace(
            code=badge.code,
            event_name=event.display_name(badge_request.language),
            event_dates=f"{date_range(event.starts_on, event.ends_on)} · {event.city}",
            full_name=badge_request.full_name,
            outlet=badge_request.outlet_name,
            role=badge_request.role,
            role_label=str(BadgeRole(badge_request.role).label)
            if badge_request.role in BadgeRole.values
            else badge_request.role,
            days=_("Days: %(days)s") % {"days": days or "—"},
            photo=photo,
            photo_label=_("No photo"),
        )


def _wrap(text: str, font: str, size: float, width: float, lines: int) -> list[str]:
    """Words of `text` on at most `lines` lines of `width`; the last is cut with an
    ellipsis when the text does not fit."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1] + "…"
    fitted = []
    for line in out:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            line = line[:-2] + "…"
        fitted.append(line)
    return fitted


def _fit_size(text: str, font: str, largest: float, smallest: float, width: float) -> float:
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_qr(canvas: Canvas, code: str, x: float, y: float, size: float) -> None:
    """The QR code as vector rectangles (sharp at any printer resolution), with its
    quiet zone of four modules inside `size`."""
    matrix = badge_qr(code).matrix
    count = len(matrix)
    module = size / (count + 8)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    top = y + size - 4 * module
    for row_index, row in enumerate(matrix):
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                canvas.rect(
                    x + (4 + start) * module,
                    top - (row_index + 1) * module,
                    (column - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
            else:
                column += 1


def _draw_badge(canvas: Canvas, face: BadgeFace) -> None:
    """One badge, drawn in A6 coordinates from its lower left corner."""
    width, height = BADGE_WIDTH, BADGE_HEIGHT
    inner = width - 2 * MARGIN
    # Header: the event.
    canvas.setFillColor(HEADER)
    canvas.rect(0, height - HEADER_HEIGHT, width, HEADER_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(white)
    name_lines = _wrap(face.event_name, FONT_BOLD, 10.5, inner, 2)
    y = height - 5.5 * mm - (0 if len(name_lines) > 1 else 1.5 * mm)
    for line in name_lines:
        canvas.setFont(FONT_BOLD, 10.5)
        canvas.drawString(MARGIN, y, line)
        y -= 12.5
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN, height - HEADER_HEIGHT + 2.5 * mm, face.event_dates)
    # PRESSE / PRESS, the same in every language.
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 22)
    canvas.drawCentredString(width / 2, height - HEADER_HEIGHT - 10 * mm, "PRESSE / PRESS")
    # Photo on the left, QR code on the right, tops aligned.
    top = height - HEADER_HEIGHT - 14 * mm
    photo_y = top - PHOTO_HEIGHT
    if face.photo:
        canvas.drawImage(
            ImageReader(io.BytesIO(face.photo)), MARGIN, photo_y, PHOTO_WIDTH, PHOTO_HEIGHT
        )
    else:
        canvas.setStrokeColor(MUTED)
        canvas.setDash(2, 2)
        canvas.rect(MARGIN, photo_y, PHOTO_WIDTH, PHOTO_HEIGHT, stroke=1, fill=0)
        canvas.setDash()
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(
            MARGIN + PHOTO_WIDTH / 2, photo_y + PHOTO_HEIGHT / 2, face.photo_label
        )
    _draw_qr(canvas, face.code, width - MARGIN - QR_SIZE + 2 * mm, top - QR_SIZE, QR_SIZE)
    # Name, outlet, days.
    y = photo_y - 8 * mm
    canvas.setFillColor(INK)
    size = _fit_size(face.full_name, FONT_BOLD, 17, 12, inner)
    for line in _wrap(face.full_name, FONT_BOLD, size, inner, 2):
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(MARGIN, y, line)
        y -= size * 1.2
    y -= 1 * mm
    canvas.setFont(FONT, 11)
    for line in _wrap(face.outlet, FONT, 11, inner, 2):
        canvas.drawString(MARGIN, y, line)
        y -= 13
    y -= 1.5 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 9)
    for line in _wrap(face.days, FONT, 9, inner, 2):
        canvas.drawString(MARGIN, y, line)
        y -= 11
    # The role band at the foot.
    canvas.setFillColor(ROLE_COLOURS.get(face.role, HEADER))
    canvas.rect(0, 0, width, ROLE_BAND_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(white)
    size = _fit_size(face.role_label.upper(), FONT_BOLD, 18, 10, inner)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawCentredString(width / 2, ROLE_BAND_HEIGHT / 2 - size * 0.35, face.role_label.upper())


def _crop_marks(canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.3)
    for corner_x, corner_y, dx, dy in (
        (x, y, -1, -1),
        (x + width, y, 1, -1),
        (x, y + height, -1, 1),
        (x + width, y + height, 1, 1),
    ):
        canvas.line(
            corner_x + dx * CROP_OFFSET,
            corner_y,
            corner_x + dx * (CROP_OFFSET + CROP_MARK),
            corner_y,
        )
        canvas.line(
            corner_x,
            corner_y + dy * CROP_OFFSET,
            corner_x,
            corner_y + dy * (CROP_OFFSET + CROP_MARK),
        )


def _sheet_cells() -> list[tuple[float, float]]:
    """Lower left corners of the four badges on an A4 sheet, in reading order."""
    cell_w, cell_h = BADGE_WIDTH * CELL_SCALE, BADGE_HEIGHT * CELL_SCALE
    left = (A4[0] - 2 * cell_w - SHEET_GAP) / 2
    bottom = (A4[1] - 2 * cell_h - SHEET_GAP) / 2
    right, top = left + cell_w + SHEET_GAP, bottom + cell_h + SHEET_GAP
    return [(left, top), (right, top), (left, bottom), (right, bottom)]


def _badges_canvas(
    *, faces: Sequence[BadgeFace], out: BinaryIO | str, layout: str, title: str
) -> None:
    """Draw `faces` on one canvas and save it to `out`."""
    pagesize = A6 if layout == LAYOUT_A6 else A4
    canvas = Canvas(out, pagesize=pagesize, pageCompression=1, initialFontName=FONT)
    canvas.setTitle(title)
    canvas.setCreator("Presse")
    cells = _sheet_cells()
    for count, face in enumerate(faces):
        if layout == LAYOUT_A6:
            if count:
                canvas.showPage()
            _draw_badge(canvas, face)
        else:
            slot = count % len(cells)
            if count and slot == 0:
                canvas.showPage()
            x, y = cells[slot]
            canvas.saveState()
            canvas.translate(x, y)
            canvas.scale(CELL_SCALE, CELL_SCALE)
            _draw_badge(canvas, face)
            canvas.restoreState()
            _crop_marks(canvas, x, y, BADGE_WIDTH * CELL_SCALE, BADGE_HEIGHT * CELL_SCALE)
    canvas.save()


def _batches_join(*, parts: list[str], out: BinaryIO | str, title: str) -> None:
    """Join the PDFs at `parts` into `out`, in order; the sources stay open until the
    joined file is written, since their page streams are read from them then."""
    with pikepdf.new() as joined, contextlib.ExitStack() as stack:
        for part in parts:
            source = stack.enter_context(pikepdf.open(part))
            joined.pages.extend(source.pages)
        joined.docinfo["/Title"] = title
        joined.docinfo["/Creator"] = "Presse"
        joined.save(out, compress_streams=True)


def badges_pdf(
    *,
    badges: Iterable[Badge],
    out: BinaryIO | str,
    layout: str = LAYOUT_A6,
    batch_badges: int = BATCH_BADGES,
) -> int:
    """Write the badges to `out` (a path or a binary file) as one PDF: one per A6 page
    ("a6"), or four per A4 sheet with crop marks ("a4-4up"). Badges are read from the
    iterable in batches of `batch_badges` (rounded up to whole sheets); a run longer
    than one batch is drawn batch by batch to temporary files, joined at the end, so
    that memory does not grow with the number of badges. Refuses an unknown layout
    ("layout") and writes nothing for no badge ("empty"). Returns the number of
    badges."""
    if layout not in LAYOUTS:
        raise BadgeError("layout", _("Unknown badge layout “%(layout)s”.") % {"layout": layout})
    fonts_register()
    per_sheet = 1 if layout == LAYOUT_A6 else len(_sheet_cells())
    size = max(per_sheet, -(-batch_badges // per_sheet) * per_sheet)
    title = _("Press badges")
    batches = itertools.batched(badges, size)
    first = next(batches, None)
    if first is None:
        raise BadgeError("empty", _("There is no badge to print."))
    second = next(batches, None)
    if second is None:
        _badges_canvas(faces=[badge_face(b) for b in first], out=out, layout=layout, title=title)
        return len(first)
    count = 0
    with tempfile.TemporaryDirectory(prefix="presse-badges-") as folder:
        parts = []
        for number, batch in enumerate(itertools.chain([first, second], batches)):
            part = str(Path(folder) / f"batch-{number:05d}.pdf")
            _badges_canvas(
                faces=[badge_face(b) for b in batch], out=part, layout=layout, title=title
            )
            parts.append(part)
            count += len(batch)
        _batches_join(parts=parts, out=out, title=title)
    return count


def _already_printed(badges: list[Badge]) -> None:
    for badge in badges:
        if badge.state != BadgeState.ACTIVE:
            raise BadgeError(
                "not_active",
                _("The badge of %(name)s is %(state)s: print its active badge instead.")
                % {
                    "name": badge.badge_request.full_name,
                    "state": BadgeState(badge.state).label.lower(),
                },
            )


def badges_print(
    *, badges: list[Badge], by: StaffMember, out: BinaryIO | str, layout: str = LAYOUT_A6
) -> list[BadgePrint]:
    """Print active badges to `out` as one PDF (see badges_pdf) and record each as
    printed: its printed at / by, and a BadgePrint row that says whether it is a
    reprint. Records nothing when the PDF cannot be made. Refuses a replaced or revoked
    badge ("not_active"), an unknown layout ("layout"), no badge ("empty")."""
    if not badges:
        raise BadgeError("empty", _("There is no badge to print."))
    _already_printed(badges)
    badges_pdf(badges=iter(badges), out=out, layout=layout)
    return badges_record_printed(badges=badges, by=by)


def badges_record_printed(*, badges: list[Badge], by: StaffMember) -> list[BadgePrint]:
    """Record badges as printed now by `by` (None: a command): printed at / by on each,
    and one BadgePrint row each, a reprint when it had been printed before."""
    now = timezone.now()
    with transaction.atomic():
        prints = BadgePrint.objects.bulk_create(
            BadgePrint(badge=badge, by=by, reprint=badge.printed_at is not None) for badge in badges
        )
        Badge.objects.filter(pk__in=[badge.pk for badge in badges]).update(
            printed_at=now, printed_by=by
        )
    for badge in badges:
        badge.printed_at, badge.printed_by = now, by
    return prints
