"""What a journalist sees in a release email and an invitation: the featured image and
its credit, the organiser's logo, the files with their type and size, the accreditation
deadline and the venue, in French and in English."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from press.mailings.enums import MailingKind
from press.mailings.rendering import mailing_preview
from tests.factories import EventFactory
from tests.factories.mailings import InvitationMailingFactory, MailingFactory, bilingual_release
from tests.factories.releases import AttachmentFactory, image_bytes, pdf_file, photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://presse.example.org"
    return settings.SITE_URL


def _release_mailing(event, **release):
    return MailingFactory(
        kind=MailingKind.RELEASE, release=bilingual_release(event=event, **release)
    )


def test_release_email_shows_the_featured_image_and_its_credit_on_the_site(event, site):
    mailing = _release_mailing(
        event,
        featured_image=photo_file("place.jpg"),
        featured_credit={"fr": "Ville de Bruxelles", "en": "City of Brussels"},
    )
    thumbnail = mailing.release.featured_thumbnail.url

    french = mailing_preview(mailing=mailing, language="fr").html
    english = mailing_preview(mailing=mailing, language="en").html

    assert f'src="{site}{thumbnail}"' in french
    assert "Photo\u202f: Ville de Bruxelles" in french
    assert 'alt="Cities commit"' in english
    assert "Photo: City of Brussels" in english
    assert "Ville de Bruxelles" not in english


def test_release_email_without_featured_image_has_no_image(event, site):
    mailing = _release_mailing(event)

    html = mailing_preview(mailing=mailing, language="en").html

    assert "<img" not in html


def test_emails_show_the_events_logo_with_its_name_as_alt_text(site):
    event = EventFactory(logo=ContentFile(image_bytes(size=(400, 120), format="PNG"), "logo.png"))
    mailing = _release_mailing(event)

    html = mailing_preview(mailing=mailing, language="en").html

    assert f'src="{site}{event.logo.url}"' in html
    assert f'alt="Conference {event.slug}"' in html


def test_emails_of_an_event_without_logo_name_it_in_words(event, site):
    html = mailing_preview(mailing=_release_mailing(event), language="fr").html

    assert "/media/events/logos/" not in html
    assert f"Conférence {event.slug}" in html


def test_release_email_lists_files_with_type_and_size_in_the_readers_number_format(event, site):
    mailing = _release_mailing(event)
    attachment = AttachmentFactory(release=mailing.release, file=pdf_file("dossier.pdf"))
    # The factory's PDF is tiny: the size recorded at upload is what the email shows.
    type(attachment).objects.filter(pk=attachment.pk).update(size=1_234_567)
    AttachmentFactory(
        release=mailing.release,
        file=photo_file("place.jpg"),
        title={"fr": "La place", "en": "The square"},
        credit={"fr": "Service presse", "en": "Press office"},
    )

    french = mailing_preview(mailing=mailing, language="fr")
    english = mailing_preview(mailing=mailing, language="en")

    assert "Dossier de presse</a> (PDF, 1,2\xa0Mo)" in french.html
    assert "Press kit</a> (PDF, 1.2\xa0MB)" in english.html
    assert "- Press kit (PDF, 1.2\xa0MB): https://presse.example.org/media/" in english.text
    assert "La place</a> (JPEG, " in french.html
    assert "Photo\u202f: Service presse" in french.html
    assert "Photo: Press office" in english.html
    assert "The square (JPEG, " in english.text


def test_invitation_states_the_venue_and_when_accreditation_closes(site):
    closes = timezone.make_aware(dt.datetime(2027, 3, 1, 18, 0))
    event = EventFactory(
        venue="Centre de congrès",
        venue_names={"fr": "Centre de congrès", "en": "Congress centre"},
        city="Lisboa",
        city_names={"fr": "Lisbonne", "en": "Lisbon"},
        starts_on=dt.date(2027, 3, 31),
        ends_on=dt.date(2027, 4, 2),
        accreditation_closes_at=closes,
    )
    mailing = InvitationMailingFactory(event=event)

    french = mailing_preview(mailing=mailing, language="fr")
    english = mailing_preview(mailing=mailing, language="en")

    assert "Où et quand\u202f: Centre de congrès, Lisbonne, du 31 mars au 2 avril 2027." in (
        french.text
    )
    assert "Les demandes d’accréditation sont closes le 1er mars 2027 à 18\xa0h" in french.text
    assert "Where and when: Congress centre, Lisbon, 31 March – 2 April 2027." in english.text
    assert "Requests for accreditation close on 1 March 2027 at 18:00" in english.text
    assert "Requests for accreditation close on 1 March 2027 at 18:00" in english.html


def test_invitation_without_closing_date_says_only_where_and_when(site):
    event = EventFactory(accreditation_closes_at=None)
    mailing = InvitationMailingFactory(event=event)

    text = mailing_preview(mailing=mailing, language="en").text

    assert "Where and when: The Square, Bruxelles" in text
    assert "Requests for accreditation close" not in text


@pytest.mark.parametrize(
    ("size", "french", "english"),
    [
        (999, "999\xa0octets", "999\xa0bytes"),
        (350_400, "350\xa0ko", "350\xa0KB"),
        (1_234_567, "1,2\xa0Mo", "1.2\xa0MB"),
        (2_500_000_000, "2,5\xa0Go", "2.5\xa0GB"),
    ],
)
def test_file_size_in_decimal_units_and_the_readers_number_format(size, french, english):
    from django.utils import translation

    from press.core.sizes import file_size

    with translation.override("fr"):
        assert file_size(size) == french
    with translation.override("en"):
        assert file_size(size) == english


def test_release_page_shows_file_type_and_size_and_the_credit_in_its_language(client, event):
    release = bilingual_release(
        event=event,
        featured_image=photo_file("une.jpg"),
        featured_credit={"fr": "Région bruxelloise", "en": "Brussels Region"},
    )
    attachment = AttachmentFactory(
        release=release,
        file=photo_file("place.jpg"),
        credit={"fr": "Ville de Bruxelles", "en": "City of Brussels"},
    )
    type(attachment).objects.filter(pk=attachment.pk).update(size=1_234_567)

    french = client.get(release.versions.get(language="fr").get_absolute_url()).content.decode()
    english = client.get(release.versions.get(language="en").get_absolute_url()).content.decode()

    assert "(JPEG, 1,2\xa0Mo)" in french
    assert "Photo\u202f: Ville de Bruxelles" in french
    assert "(JPEG, 1.2\xa0MB)" in english
    assert "Photo: City of Brussels" in english
    assert '<figcaption class="credit">Photo\u202f: Région bruxelloise</figcaption>' in french
    assert '<figcaption class="credit">Photo: Brussels Region</figcaption>' in english
