"""Checks for uploaded files, by content and never by name: the one home of these checks,
used by release attachments and badge-request uploads alike.

- `file_check_size(file, max_bytes=)`: the size limit;
- `file_is_pdf(file)`: a PDF by its magic bytes;
- `image_open_checked(file, formats=, max_pixels=)`: a real image of an allowed format,
  its pixel count read from the header and refused before decoding (decompression bombs);
- `image_without_metadata(image, format=)`: re-encoded pixels only, EXIF and GPS dropped;
- `image_thumbnail(file, width=)`: a small JPEG for lists;
- `pdf_without_active_content(file)`: a PDF rewritten without scripts, automatic
  actions, launch actions, embedded files or form scripts.

Each check raises ValidationError with a translatable message and a code; none of them
trusts the file name or the browser's content type.
"""

import warnings
from io import BytesIO

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF = "pdf"
IMAGE = "image"
# Pillow formats accepted as photos.
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
FORMAT_NAMES = {"WEBP": "WebP"}
# A 60-megapixel photo (a professional camera's) is accepted; anything bigger is refused
# from its header, before a pixel is decoded.
IMAGE_MAX_PIXELS = 60_000_000
# Sizes are spelled in the reader's language when the message is shown, not when raised.
lazy_filesize = lazy(filesizeformat, str)
# What Pillow raises on truncated, forged or oversized ("decompression bomb") images.
UNREADABLE_IMAGE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _head(file: File, size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def file_check_size(file: File, *, max_bytes: int | None = None) -> None:
    """Refuse a file larger than `max_bytes` (default settings.ATTACHMENT_MAX_BYTES)."""
    limit = max_bytes if max_bytes is not None else settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": lazy_filesize(file.size), "limit": lazy_filesize(limit)},
        )


def file_is_pdf(file: File) -> bool:
    """A PDF starts with its magic bytes (some writers put a little junk before them)."""
    return b"%PDF-" in _head(file, 1024)


def image_format(file: File, *, max_pixels: int = IMAGE_MAX_PIXELS) -> str | None:
    """The Pillow format name of an image that verifies and is at most `max_pixels`
    (read from the header), else None."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                found = image.format
                if image.width * image.height > max_pixels:
                    return None
                image.verify()
    except UNREADABLE_IMAGE:
        return None
    finally:
        file.seek(0)
    return found


def image_check_pixels(width: int, height: int, *, max_pixels: int = IMAGE_MAX_PIXELS) -> None:
    """Refuse an image of more than `max_pixels`."""
    if width * height > max_pixels:
        raise ValidationError(
            _("This image is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels."),
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": max_pixels // 1_000_000},
        )


def image_open_checked(
    file: File, *, formats: set[str] = IMAGE_FORMATS, max_pixels: int = IMAGE_MAX_PIXELS
) -> Image.Image:
    """The decoded image, if `file` is one of `formats` (Pillow names) by content.

    Refuses (ValidationError): not an image of those formats ("not_an_image"), more than
    `max_pixels` — checked from the header before decoding, so a decompression bomb is
    never expanded ("too_many_pixels") — and a damaged image ("broken_image")."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=sorted(formats))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                _("This image is too large to be opened safely."), code="too_many_pixels"
            ) from error
        except UNREADABLE_IMAGE as error:
            raise ValidationError(
                _("This file is not an image Presse can read (%(formats)s)."),
                code="not_an_image",
                params={"formats": ", ".join(sorted(FORMAT_NAMES.get(f, f) for f in formats))},
            ) from error
        image_check_pixels(*image.size, max_pixels=max_pixels)
        try:
            image.load()
        except UNREADABLE_IMAGE as error:
            raise ValidationError(
                _("This image is damaged and cannot be read."), code="broken_image"
            ) from error
        finally:
            file.seek(0)
    return image


def image_without_metadata(image: Image.Image, *, format: str = "JPEG") -> bytes:
    """`image` re-encoded from its pixels alone: EXIF (GPS position, camera), text chunks
    and colour-profile comments are dropped; the EXIF orientation is applied first."""
    image = ImageOps.exif_transpose(image)
    out = BytesIO()
    if format == "PNG":
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        clean.save(out, format="PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90, exif=b"")
    return out.getvalue()


def image_check(file: File) -> None:
    """Refuse anything that is not a real JPEG, PNG, WebP or GIF image of at most
    IMAGE_MAX_PIXELS."""
    image_open_checked(file)  # not closed: Pillow would close the caller's file with it


def attachment_kind(file: File) -> str | None:
    """PDF, IMAGE, or None for anything else, judged by content."""
    if file_is_pdf(file):
        return PDF
    if image_format(file) in IMAGE_FORMATS:
        return IMAGE
    return None


def attachment_check(file: File) -> None:
    """A release attachment: at most ATTACHMENT_MAX_BYTES, and a PDF or an image of at
    most IMAGE_MAX_PIXELS."""
    file_check_size(file)
    if file_is_pdf(file):
        return
    try:
        # Not closed: Pillow would close the caller's file with it.
        image_open_checked(file)
    except ValidationError as error:
        if error.code != "not_an_image":
            raise
        raise ValidationError(
            _(
                "Only PDF documents and images (JPEG, PNG, WebP or GIF) can be attached; "
                "this file is neither."
            ),
            code="unsupported_type",
        ) from error


def photo_check(file: File) -> None:
    """A photo shown on public pages: size-limited and a real image."""
    file_check_size(file)
    image_check(file)


def image_thumbnail(file: File, *, width: int = 480) -> ContentFile:
    """A JPEG at most `width` pixels wide, with the photo's orientation applied."""
    file.seek(0)
    with Image.open(file) as image:
        # A JPEG is decoded at a reduced scale straight away: less memory, same result.
        image.draft("RGB", (width, width * 4))
        image = ImageOps.exif_transpose(image)
        image.thumbnail((width, width * 4))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True)
    file.seek(0)
    return ContentFile(out.getvalue())


# Keys of a PDF's catalogue, pages, annotations and form fields that make it do things
# when opened or clicked rather than only be displayed.
PDF_ACTION_KEYS = ("/OpenAction", "/AA")
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm"}
PDF_ACTIVE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen"}


def _pdf_strip_actions(obj: pikepdf.Object) -> None:
    for key in PDF_ACTION_KEYS:
        if key in obj:
            del obj[key]
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") in PDF_ACTIVE_ACTIONS:
        del obj["/A"]


def pdf_without_active_content(file: File) -> bytes:
    """`file` (a PDF) saved again without what would run or unpack in a reader: the
    document's and pages' automatic actions (/OpenAction, /AA), JavaScript, launch,
    import and submit actions, embedded files and attachment or media annotations,
    interactive forms (their fields and any XFA scripts). Pages and text are kept.

    Refuses (ValidationError): a file that does not open as a PDF ("broken_pdf") and a
    password-protected one, which cannot be checked ("encrypted_pdf")."""
    file.seek(0)
    try:
        pdf = pikepdf.open(BytesIO(file.read()))
    except pikepdf.PasswordError as error:
        raise ValidationError(
            _("This PDF is protected by a password; send it without the protection."),
            code="encrypted_pdf",
        ) from error
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise ValidationError(
            _("This PDF is damaged and cannot be read."), code="broken_pdf"
        ) from error
    finally:
        file.seek(0)
    with pdf:
        try:
            root = pdf.Root
            _pdf_strip_actions(root)
            names = root.get("/Names")
            if isinstance(names, pikepdf.Dictionary):
                for tree in ("/JavaScript", "/EmbeddedFiles"):
                    if tree in names:
                        del names[tree]
            for key in ("/AcroForm", "/Collection"):
                if key in root:
                    del root[key]
            for page in pdf.pages:
                _pdf_strip_actions(page.obj)
                annotations = page.obj.get("/Annots")
                if not isinstance(annotations, pikepdf.Array):
                    continue
                kept = pikepdf.Array()
                for annotation in annotations:
                    if not isinstance(annotation, pikepdf.Dictionary):
                        continue
                    if annotation.get("/Subtype") in PDF_ACTIVE_ANNOTATIONS:
                        continue
                    if annotation.get("/Subtype") == "/Widget":
                        # A form field: the form itself is gone with /AcroForm.
                        continue
                    _pdf_strip_actions(annotation)
                    kept.append(annotation)
                page.obj["/Annots"] = kept
            out = BytesIO()
            pdf.remove_unreferenced_resources()
            pdf.save(out)
        except (pikepdf.PdfError, ValueError, KeyError, TypeError) as error:
            raise ValidationError(
                _("This PDF is damaged and cannot be read."), code="broken_pdf"
            ) from error
    return out.getvalue()
