"""Checks for the files a journalist sends with a badge request, by content alone.

A photo must be a real JPEG or PNG of at least 400×500 pixels, at most 10 MB and
40 megapixels; its size is read from the header, so a decompression bomb is refused
without being decoded. Accepted photos are re-encoded, which drops EXIF metadata (GPS
position, camera). A press card or letter is a PDF, JPEG or PNG of at most 10 MB.
Every refusal is a ValidationError with a translatable message and a code.
"""

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
PHOTO_MIN_WIDTH = 400
PHOTO_MIN_HEIGHT = 500
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
PDF_MAGIC = b"%PDF-"
BROKEN_IMAGE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def _check_size(file) -> None:
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
        )


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("This image is %(width)s×%(height)s pixels; the limit is 40 megapixels."),
            code="too_many_pixels",
            params={"width": width, "height": height},
        )


def _decode(file, formats: set[str]) -> Image.Image:
    """Open an image, check its size from the header, and only then decode it."""
    file.seek(0)
    too_large = ValidationError(
        _("This image is too large to be opened safely."), code="too_many_pixels"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=sorted(formats))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_large from error
        except BROKEN_IMAGE as error:
            raise ValidationError(
                _("This file is not a JPEG or PNG image."), code="not_an_image"
            ) from error
        # Image.open reads the header only: refuse before a single pixel is decoded.
        _check_pixels(*image.size)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_large from error
        except BROKEN_IMAGE as error:
            raise ValidationError(
                _("This image is damaged and cannot be read."), code="broken_image"
            ) from error
    return image


def photo_clean(file) -> ContentFile:
    """A badge photo, checked and re-encoded without its metadata.

    Refuses (ValidationError): over 10 MB, not a JPEG or PNG by content, over 40
    megapixels (before decoding), smaller than 400×500 pixels, damaged."""
    _check_size(file)
    image = _decode(file, set(PHOTO_FORMATS))
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    width, height = image.size
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
    out = BytesIO()
    if source_format == "PNG":
        # A fresh PNG keeps only pixels: no text chunks, no EXIF.
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        clean.save(out, format="PNG", optimize=True)
    else:
        image.convert("RGB").save(out, format="JPEG", quality=90, exif=b"")
    return ContentFile(out.getvalue(), name=f"photo.{PHOTO_FORMATS[source_format]}")


def document_clean(file, *, name: str) -> ContentFile:
    """A press card or letter of assignment: a PDF, JPEG or PNG by content, ≤ 10 MB.

    Images are checked for size (40 megapixels) and decoded; the stored file is named
    `<name>.<pdf|jpg|png>` whatever the sender called it."""
    _check_size(file)
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if head.startswith(PDF_MAGIC):
        return ContentFile(file.read(), name=f"{name}.pdf")
    try:
        image = _decode(file, set(PHOTO_FORMATS))
    except ValidationError as error:
        if error.code == "not_an_image":
            raise ValidationError(
                _("This file is not a PDF, JPEG or PNG document."), code="bad_document"
            ) from error
        raise
    extension = PHOTO_FORMATS[image.format]
    file.seek(0)
    return ContentFile(file.read(), name=f"{name}.{extension}")
