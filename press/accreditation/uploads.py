"""Checks for the files a journalist sends with a badge request, by content alone.

A photo must be a real JPEG or PNG of at least 400×500 pixels, at most 10 MB and
40 megapixels; its size is read from the header, so a decompression bomb is refused
without being decoded. Accepted photos are re-encoded, which drops EXIF metadata (GPS
position, camera). A press card or letter is a PDF, JPEG or PNG of at most 10 MB;
images are re-encoded the same way, and PDFs are rewritten without their active
content (scripts, automatic actions, embedded files, forms). Every refusal is a
ValidationError with a translatable message and a code.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import ImageOps

from press.core.uploads import (
    file_check_size,
    file_is_pdf,
    image_open_checked,
    image_without_metadata,
    pdf_without_active_content,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
PHOTO_MIN_WIDTH = 400
PHOTO_MIN_HEIGHT = 500
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def _decode(file):
    """A JPEG or PNG of at most 40 megapixels (checked before decoding)."""
    try:
        return image_open_checked(file, formats=set(PHOTO_FORMATS), max_pixels=MAX_PIXELS)
    except ValidationError as error:
        if error.code == "not_an_image":
            raise ValidationError(
                _("This file is not a JPEG or PNG image."), code="not_an_image"
            ) from error
        raise


def photo_clean(file) -> ContentFile:
    """A badge photo, checked and re-encoded without its metadata.

    Refuses (ValidationError): over 10 MB, not a JPEG or PNG by content, over 40
    megapixels (before decoding), smaller than 400×500 pixels, damaged."""
    file_check_size(file, max_bytes=MAX_BYTES)
    image = _decode(file)
    source_format = image.format
    # The orientation decides which side is the width.
    width, height = ImageOps.exif_transpose(image).size
    if width < PHOTO_MIN_WIDTH or height < PHOTO_MIN_HEIGHT:
        raise ValidationError(
            _(
                "This photo is %(width)s×%(height)s pixels; it must be at least "
                "%(min_width)s×%(min_height)s."
            ),
            code="too_small",
            params={
                "width": width,
                "height": height,
                "min_width": PHOTO_MIN_WIDTH,
                "min_height": PHOTO_MIN_HEIGHT,
            },
        )
    clean = image_without_metadata(image, format=source_format)
    return ContentFile(clean, name=f"photo.{PHOTO_FORMATS[source_format]}")


def document_clean(file, *, name: str) -> ContentFile:
    """A press card or letter of assignment: a PDF, JPEG or PNG by content, ≤ 10 MB,
    stored as `<name>.<pdf|jpg|png>` whatever the sender called it.

    Images are checked for size (40 megapixels) and re-encoded without their metadata
    (a phone's photo of a card carries where it was taken). PDFs are rewritten without
    scripts, automatic actions, embedded files or forms; a damaged or password-protected
    PDF is refused."""
    file_check_size(file, max_bytes=MAX_BYTES)
    if file_is_pdf(file):
        return ContentFile(pdf_without_active_content(file), name=f"{name}.pdf")
    try:
        image = _decode(file)
    except ValidationError as error:
        if error.code == "not_an_image":
            raise ValidationError(
                _("This file is not a PDF, JPEG or PNG document."), code="bad_document"
            ) from error
        raise
    source_format = image.format
    clean = image_without_metadata(image, format=source_format)
    return ContentFile(clean, name=f"{name}.{PHOTO_FORMATS[source_format]}")
