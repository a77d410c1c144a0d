"""Release factories beyond the core ones in tests/factories/__init__.py, and real files."""

from io import BytesIO

import factory
from django.core.files.base import ContentFile
from PIL import Image

from press.releases.models import Attachment, Boilerplate, PressContact
from tests.factories import ReleaseFactory

# A minimal but well-formed one-page PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(*, size=(800, 600), format="JPEG", color=(20, 90, 160)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, color).save(out, format)
    return out.getvalue()


def pdf_file(name="dossier.pdf") -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)


def photo_file(name="photo.jpg", **kwargs) -> ContentFile:
    return ContentFile(image_bytes(**kwargs), name=name)


class PressContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressContact

    name = factory.Sequence(lambda n: f"Contact {n}")
    role = factory.LazyFunction(lambda: {"fr": "Attachée de presse", "en": "Press officer"})
    email = factory.Sequence(lambda n: f"contact{n}@office.example")
    phone = "+32 2 555 01 24"


class BoilerplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Boilerplate

    name = factory.Sequence(lambda n: f"Boilerplate {n}")
    text = factory.LazyFunction(
        lambda: {
            "fr": "Le réseau rassemble des villes.",
            "en": "The network brings cities together.",
        }
    )


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    release = factory.SubFactory(ReleaseFactory)
    file = factory.LazyFunction(pdf_file)
    title = factory.LazyFunction(lambda: {"fr": "Dossier de presse", "en": "Press kit"})
