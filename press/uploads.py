"""Checks for uploaded files, by content and never by name, reusable by every form.

Each check raises ValidationError with a translatable message and a code; none of them
trusts the file name or the browser's content type.
"""

import warnings
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF = "pdf"
IMAGE = "image"
# Pillow formats accepted as photos.
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Sizes are spelled in the reader's language when the message is shown, not when raised.
lazy_filesize = lazy(filesizeformat, str)
# What Pillow raises on truncated, forged or oversized ("decompression bomb") images.
UNREADABLE_IMAGE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _head(file, size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def file_check_size(file, *, max_bytes: int | None = None) -> None:
    """Refuse a file larger than `max_bytes` (default settings.ATTACHMENT_MAX_BYTES)."""
    limit = max_bytes if max_bytes is not None else settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": lazy_filesize(file.size), "limit": lazy_filesize(limit)},
        )


def file_is_pdf(file) -> bool:
    """A PDF starts with its magic bytes (some writers put a little junk before them)."""
    return b"%PDF-" in _head(file, 1024)


def image_format(file) -> str | None:
    """The Pillow format name of an image that decodes and verifies, else None."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                found = image.format
                image.verify()
    except UNREADABLE_IMAGE:
        return None
    finally:
        file.seek(0)
    return found


def image_check(file) -> None:
    """Refuse anything that is not a real JPEG, PNG, WebP or GIF image."""
    if image_format(file) not in IMAGE_FORMATS:
        raise ValidationError(
            _("This file is not an image Presse can read (JPEG, PNG, WebP or GIF)."),
            code="not_an_image",
        )


def attachment_kind(file) -> str | None:
    """PDF, IMAGE, or None for anything else, judged by content."""
    if file_is_pdf(file):
        return PDF
    if image_format(file) in IMAGE_FORMATS:
        return IMAGE
    return None


def attachment_check(file) -> None:
    """A release attachment: at most ATTACHMENT_MAX_BYTES, and a PDF or an image."""
    file_check_size(file)
    if attachment_kind(file) is None:
        raise ValidationError(
            _(
                "Only PDF documents and images (JPEG, PNG, WebP or GIF) can be attached; "
                "this file is neither."
            ),
            code="unsupported_type",
        )


def photo_check(file) -> None:
    """A photo shown on public pages: size-limited and a real image."""
    file_check_size(file)
    image_check(file)


def image_thumbnail(file, *, width: int = 480) -> ContentFile:
    """A JPEG at most `width` pixels wide, with the photo's orientation applied."""
    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((width, width * 4))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True)
    file.seek(0)
    return ContentFile(out.getvalue())
