"""Embargo for its recipients: each recipient's personal link (press.releases.access),
what it shows before and after the lift, what it grants, the log of openings, and
that nothing embargoed leaks through the public newsroom."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from press.mailings.rendering import mailing_send_test
from press.mailings.sending import mailing_send
from press.releases.access import AccessHolder, release_access_grant
from press.releases.enums import ReleaseStatus
from press.releases.models import ReleaseAccess, ReleaseReading
from tests.factories import (
    ContactListFactory,
    JournalistFactory,
    ReleaseFactory,
    ReleaseVersionFactory,
    UserFactory,
)
from tests.factories.mailings import MailingFactory, bilingual_release
from tests.factories.releases import AttachmentFactory, photo_file

pytestmark = pytest.mark.django_db

LIFT = dt.datetime(2099, 1, 15, 9, 0, tzinfo=dt.UTC)
PERSONAL_LINK = re.compile(r"https?://[^/\s]+(/(?:fr|en)/[^\s\"]*/(?:lire|read)/([\w-]+)/)")


def embargoed_release(**kwargs):
    return bilingual_release(embargo_until=LIFT, **kwargs)


def send_to(release, *journalists, event=None):
    contact_list = ContactListFactory()
    for journalist in journalists:
        journalist.lists.add(contact_list)
    mailing = MailingFactory(lists=[contact_list], release=release, event=event)
    mailing_send(mailing=mailing)
    return mailing


def personal_link(message):
    """The path and token of the personal link in an email's text and HTML."""
    text_match = PERSONAL_LINK.search(message.body)
    html_match = PERSONAL_LINK.search(message.alternatives[0].content)
    assert text_match and html_match
    assert text_match.group(1) == html_match.group(1)
    return text_match.group(1), text_match.group(2)


def lift(release):
    release.embargo_until = timezone.now() - dt.timedelta(minutes=1)
    release.save(update_fields=["embargo_until"])


@pytest.fixture
def sent(event):
    release = embargoed_release(event=event)
    french = JournalistFactory(email="lea@media.example", first_name="Léa", language="fr")
    english = JournalistFactory(email="tom@media.example", first_name="Tom", language="en")
    mailing = send_to(release, french, english, event=event)
    by_address = {message.to[0]: message for message in mail.outbox}
    return release, mailing, by_address, french, english


def test_each_recipient_gets_a_personal_link_of_their_own(sent):
    release, mailing, by_address, french, english = sent

    french_path, french_token = personal_link(by_address["lea@media.example"])
    english_path, english_token = personal_link(by_address["tom@media.example"])

    assert french_path == f"/fr/communiques/lire/{french_token}/"
    assert english_path == f"/en/releases/read/{english_token}/"
    assert french_token != english_token
    assert len(french_token) >= 32
    accesses = {a.email: a for a in ReleaseAccess.objects.filter(release=release)}
    assert accesses["lea@media.example"].token == french_token
    assert accesses["lea@media.example"].journalist == french
    assert accesses["tom@media.example"].journalist == english
    # Not the delivery's token: the unsubscribe link keeps its own.
    delivery_tokens = set(mailing.deliveries.values_list("token", flat=True))
    assert french_token not in delivery_tokens and english_token not in delivery_tokens


def test_the_read_in_the_newsroom_button_points_to_the_personal_link(sent):
    _release, _mailing, by_address, _french, _english = sent
    message = by_address["tom@media.example"]
    path, _token = personal_link(message)

    html = message.alternatives[0].content
    button = re.search(r'<a href="([^"]+)"[^>]*>\s*Read it in the newsroom', html)
    assert button and button.group(1).endswith(path)
    assert f"Read it in the newsroom: http://127.0.0.1:8000{path}" in message.body


def test_a_second_mailing_of_the_release_keeps_the_same_link(sent, event):
    release, _mailing, by_address, french, _english = sent
    _path, first = personal_link(by_address["lea@media.example"])
    mail.outbox.clear()

    send_to(release, french, event=event)

    _path, second = personal_link(mail.outbox[0])
    assert second == first
    assert ReleaseAccess.objects.filter(release=release, email="lea@media.example").count() == 1


def test_personal_link_before_the_lift_shows_the_release_with_an_embargo_banner(client, sent):
    release, _mailing, by_address, french, _english = sent
    path, _token = personal_link(by_address["lea@media.example"])

    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "EMBARGO — ne pas publier avant le 15 janvier 2099 10:00 CET" in html
    assert "Les villes s&#x27;engagent" in html
    assert "Texte <strong>français</strong>" in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'data-local-time="2099-01-15T10:00:00+01:00"' in html


def test_personal_link_banner_is_in_english_for_an_english_recipient(client, sent):
    _release, _mailing, by_address, _french, _english = sent
    path, _token = personal_link(by_address["tom@media.example"])

    html = client.get(path).content.decode()

    assert '<html lang="en">' in html
    assert "EMBARGO — not for publication before Jan. 15, 2099, 10 a.m. CET" in html
    assert "Cities commit" in html


def test_every_opening_before_the_lift_is_recorded(client, sent):
    release, _mailing, by_address, french, _english = sent
    path, _token = personal_link(by_address["lea@media.example"])

    client.get(path)
    client.get(path)

    readings = list(ReleaseReading.objects.filter(release=release))
    assert len(readings) == 2
    assert {reading.access.journalist for reading in readings} == {french}


def test_after_the_lift_the_same_link_leads_to_the_public_page(client, sent):
    release, _mailing, by_address, _french, _english = sent
    path, _token = personal_link(by_address["lea@media.example"])
    lift(release)

    response = client.get(path)

    public = release.versions.get(language="fr").get_absolute_url()
    assert response.status_code == 302
    assert response["Location"] == public
    assert client.get(public).status_code == 200
    assert not ReleaseReading.objects.exists()


@pytest.mark.parametrize("status", [ReleaseStatus.DRAFT, ReleaseStatus.ARCHIVED])
def test_personal_link_of_an_unpublished_or_archived_release_answers_404(client, sent, status):
    release, _mailing, by_address, _french, _english = sent
    path, _token = personal_link(by_address["lea@media.example"])
    release.status = status
    release.save(update_fields=["status"])

    response = client.get(path)

    assert response.status_code == 404
    assert not ReleaseReading.objects.exists()


def test_an_unknown_token_answers_404_and_records_nothing(client, sent):
    response = client.get("/fr/communiques/lire/not-a-real-token-at-all/")

    assert response.status_code == 404
    assert not ReleaseReading.objects.exists()


def test_the_unsubscribe_token_does_not_open_the_release(client, sent):
    _release, mailing, _by_address, _french, _english = sent
    delivery = mailing.deliveries.first()

    assert client.get(f"/fr/communiques/lire/{delivery.token}/").status_code == 404


def test_the_personal_link_does_not_unsubscribe(client, sent):
    _release, _mailing, by_address, french, _english = sent
    _path, token = personal_link(by_address["lea@media.example"])

    response = client.post(f"/fr/mailings/unsubscribe/{token}/")

    assert response.status_code == 404
    french.refresh_from_db()
    assert french.suppressed_at is None


def test_the_personal_link_opens_only_its_own_release(client, sent, event):
    _release, _mailing, by_address, _french, _english = sent
    _path, token = personal_link(by_address["lea@media.example"])
    other = embargoed_release(event=event)
    other_file = AttachmentFactory(release=other)

    response = client.get(f"/fr/communiques/lire/{token}/fichiers/{other_file.pk}/")

    assert response.status_code == 404


def test_personal_link_serves_the_files_and_media_kit_under_embargo(client, sent):
    release, _mailing, by_address, _french, _english = sent
    path, token = personal_link(by_address["lea@media.example"])
    document = AttachmentFactory(release=release)
    AttachmentFactory(release=release, file=photo_file("scene.jpg"), title={"fr": "Scène"})

    html = client.get(path).content.decode()
    file_url = f"/fr/communiques/lire/{token}/fichiers/{document.pk}/"
    kit_url = f"/fr/communiques/lire/{token}/dossier-media/"
    assert f'href="{file_url}"' in html
    assert f'href="{kit_url}"' in html

    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    kit = client.get(kit_url)
    assert kit.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(kit.streaming_content))).namelist()
    assert names == ["dossier.pdf", "scene.jpg"]
    # The public addresses of the same files stay closed.
    assert client.get(f"/fr/fichiers/{document.pk}/").status_code == 404
    assert client.get(f"/fr/communiques/{release.pk}/dossier-media/").status_code == 404


def test_test_send_gives_the_tester_a_working_personal_link(client, event):
    release = embargoed_release(event=event)
    mailing = MailingFactory(release=release, event=event)
    officer = UserFactory(username="tester", email="Tester@Office.example", is_staff=True)

    mailing_send_test(mailing=mailing, by=officer)

    path, _token = personal_link(mail.outbox[0])
    assert client.get(path).status_code == 200
    reading = ReleaseReading.objects.get()
    assert reading.access.email == "tester@office.example"


def test_release_access_grant_uses_a_few_queries_whatever_the_number(
    django_assert_num_queries, event
):
    release = embargoed_release(event=event)
    few = [AccessHolder(email=f"a{n}@media.example") for n in range(2)]
    many = [AccessHolder(email=f"b{n}@media.example") for n in range(60)]

    with django_assert_num_queries(3):
        release_access_grant(release=release, holders=few)
    with django_assert_num_queries(3):
        tokens = release_access_grant(release=release, holders=many)
    assert len(set(tokens.values())) == 60


def test_release_admin_page_shows_who_read_it_under_embargo(client, sent, officer_client):
    release, _mailing, by_address, _french, _english = sent
    path, _token = personal_link(by_address["lea@media.example"])
    client.get(path)

    html = officer_client.get(
        reverse("admin:releases_release_change", args=[release.pk])
    ).content.decode()

    assert "1 ouverture avant publication." in html
    assert "lea@media.example" in html
    assert "tom@media.example" not in html


def test_release_admin_page_says_when_nobody_read_it(officer_client, event):
    release = embargoed_release(event=event)

    html = officer_client.get(
        reverse("admin:releases_release_change", args=[release.pk])
    ).content.decode()

    assert "Personne ne l’a ouvert par un lien personnel avant la publication." in html


# Nothing embargoed leaks to anonymous readers ------------------------------------------


@pytest.fixture
def hidden(event):
    release = ReleaseFactory(embargo_until=LIFT, event=event, featured_image=photo_file("une.jpg"))
    ReleaseVersionFactory(release=release, language="fr", title="Secret", slug="secret")
    ReleaseVersionFactory(release=release, language="en", title="Secret EN", slug="secret-en")
    public = ReleaseFactory(event=event)
    ReleaseVersionFactory(release=public, language="fr", title="Public", slug="public")
    return release


def test_anonymous_readers_get_404_before_the_embargo(client, hidden):
    assert client.get("/fr/communiques/secret/").status_code == 404
    assert client.get("/en/releases/secret-en/").status_code == 404


def test_the_feed_leaves_out_an_embargoed_release(client, hidden):
    xml = client.get("/fr/communiques/flux.xml").content.decode()

    assert "Public" in xml
    assert "Secret" not in xml and "secret" not in xml


def test_the_sitemap_leaves_out_an_embargoed_release(client, hidden):
    xml = client.get("/sitemap.xml").content.decode()

    assert "/fr/communiques/public/" in xml
    assert "secret" not in xml


def test_the_index_shows_no_thumbnail_of_an_embargoed_release(client, hidden):
    html = client.get("/fr/").content.decode()

    assert hidden.featured_thumbnail.url not in html
    assert hidden.featured_image.url not in html
    assert "Secret" not in html


def test_the_media_kit_and_files_of_an_embargoed_release_answer_404(client, hidden):
    AttachmentFactory(release=hidden)
    attachment = AttachmentFactory(release=hidden)

    assert client.get(f"/fr/communiques/{hidden.pk}/dossier-media/").status_code == 404
    assert client.get(f"/fr/fichiers/{attachment.pk}/").status_code == 404


def test_personal_page_offers_the_other_language_through_the_same_link(client, sent):
    _release, _mailing, by_address, _french, _english = sent
    _path, token = personal_link(by_address["lea@media.example"])

    html = client.get(f"/fr/communiques/lire/{token}/").content.decode()

    assert f'href="/en/releases/read/{token}/" hreflang="en"' in html
