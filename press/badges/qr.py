"""QR codes of badge codes (segno): a PNG for emails, an SVG for web pages, the module
matrix for vector drawing in the PDF."""

import io
from email.utils import make_msgid

import segno

from press.accreditation.models import BadgeRequest
from press.badges.selectors import badge_active
from press.core.emails import InlineImage

# Level M survives a scratched or creased card and keeps a 22-character code at
# version 2 (25 × 25 modules).
ERROR_LEVEL = "m"


def badge_qr(code: str) -> segno.QRCode:
    return segno.make_qr(code, error=ERROR_LEVEL, boost_error=False)


def badge_qr_png(code: str, *, scale: int = 8, border: int = 4) -> bytes:
    """The QR code of `code` as a PNG, `scale` pixels per module, with the standard
    quiet zone of four modules."""
    out = io.BytesIO()
    badge_qr(code).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def badge_qr_svg(code: str, *, title: str = "", scale: int = 7) -> str:
    """The QR code of `code` as an inline <svg> element (no XML declaration), `scale`
    pixels per module with the quiet zone; `title` is its accessible name."""
    return str(
        badge_qr(code).svg_inline(
            scale=scale, svgclass="badge-qr", lineclass=None, title=title or None, border=4
        )
    )


def badge_qr_inline(*, badge_request: BadgeRequest) -> InlineImage | None:
    """The QR code of the request's active badge as an inline email image (the approval
    email shows it by Content-ID), or None when the request has no active badge."""
    badge = badge_active(badge_request=badge_request)
    if badge is None:
        return None
    return InlineImage(
        cid=make_msgid("badge-qr", domain="inline")[1:-1],
        content=badge_qr_png(badge.code, scale=8),
        filename="badge-qr.png",
    )
