"""Factories for accreditation: badge requests, field visits and the files they carry."""

import datetime as dt
from io import BytesIO

import factory
import pikepdf
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from press.accreditation.models import BadgeRequest, BadgeRequestState, FieldVisit
from press.accreditation.requests import PRIVACY_NOTICE_VERSION
from tests.factories import EventFactory


def image_bytes(width=400, height=500, *, fmt="JPEG", exif=None, color=(30, 90, 160)) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", (width, height), color)
    options = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of blank A4 pages, as a scanner would produce."""
    pdf = pikepdf.new()
    for _page in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


PDF_BYTES = pdf_bytes()


class FieldVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldVisit

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: {"fr": f"Visite {n}", "en": f"Visit {n}"})
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=61))
    capacity = 10


class BadgeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgeRequest

    event = factory.SubFactory(EventFactory)
    state = BadgeRequestState.SUBMITTED
    language = "fr"
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"reporter{n}@media.example")
    phone = "+32470000000"
    nationality = "BE"
    outlet_name = factory.Sequence(lambda n: f"Journal {n}")
    outlet_kind = "newspaper"
    outlet_country = "BE"
    role = "journalist"
    press_card_number = "BE-12345"
    press_card_country = "BE"
    press_card = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="press-card.pdf"))
    photo = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.jpg"))
    days = factory.LazyAttribute(lambda r: [r.event.starts_on.isoformat()])
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = PRIVACY_NOTICE_VERSION
