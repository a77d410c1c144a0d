import io

import pytest
from django.core.management import call_command
from PIL import Image

from press.core.uploads import file_is_pdf
from press.releases.models import Attachment, Release

pytestmark = pytest.mark.django_db


def test_demo_releases_cover_both_languages_french_only_and_embargo():
    call_command("seed_demo", stdout=io.StringIO())

    languages = sorted(
        tuple(release.languages()) for release in Release.objects.prefetch_related("versions")
    )
    assert languages == [("fr",), ("fr", "en"), ("fr", "en")]
    embargoed = [release for release in Release.objects.all() if release.is_embargoed()]
    assert len(embargoed) == 1
    assert Release.objects.public().count() == 2


def test_demo_attachments_are_a_real_pdf_and_real_photos():
    call_command("seed_demo", stdout=io.StringIO())

    kinds = sorted(Attachment.objects.values_list("kind", flat=True))
    assert kinds == ["image", "image", "pdf"]
    pdf = Attachment.objects.get(kind="pdf")
    with pdf.file.open("rb") as stored:
        assert file_is_pdf(stored)
    for photo in Attachment.objects.filter(kind="image"):
        with photo.file.open("rb") as stored, Image.open(stored) as image:
            assert image.format == "JPEG"
        assert photo.thumbnail.name.endswith(".jpg")


def test_demo_attachments_are_added_once():
    call_command("seed_demo", stdout=io.StringIO())
    first = list(Attachment.objects.values_list("pk", "file"))

    call_command("seed_demo", stdout=io.StringIO())

    assert list(Attachment.objects.values_list("pk", "file")) == first


def test_demo_featured_image_has_its_list_thumbnail():
    call_command("seed_demo", stdout=io.StringIO())

    featured = Release.objects.exclude(featured_image="").get()

    assert featured.featured_thumbnail.name.endswith("/bruxelles-conference.jpg")
    with featured.featured_thumbnail.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.width) == ("JPEG", 480)
