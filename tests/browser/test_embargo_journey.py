"""A journalist opens an embargoed release from the personal link in their email:
before the lift, the full release under an embargo banner; after it, the public page."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from press.mailings.sending import mailing_send
from press.releases.models import ReleaseReading
from tests.factories import ContactListFactory, EventFactory, JournalistFactory
from tests.factories.mailings import MailingFactory, bilingual_release
from tests.factories.releases import AttachmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/shots/newsroom"


def test_journalist_opens_an_embargoed_release_before_and_after_the_lift(page, live_server):
    event = EventFactory(slug="brussels")
    release = bilingual_release(event=event, embargo_until=timezone.now() + dt.timedelta(days=2))
    AttachmentFactory(release=release)
    journalist = JournalistFactory(email="lea@media.example", first_name="Léa", language="fr")
    contact_list = ContactListFactory()
    journalist.lists.add(contact_list)
    mailing_send(mailing=MailingFactory(lists=[contact_list], release=release, event=event))
    (message,) = mail.outbox
    link = re.search(r"https?://\S+?(/fr/communiques/lire/[\w-]+/)", message.body).group(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)

    banner = page.get_by_role("alert")
    assert banner.inner_text().startswith("EMBARGO — ne pas publier avant")
    # The script adds the reader's own time zone.
    local = page.locator("[data-local-time]")
    local.wait_for(state="visible")
    assert local.inner_text().startswith("Dans votre fuseau horaire\u202f:")
    assert page.get_by_role("heading", level=1).inner_text() == "Les villes s'engagent"
    page.screenshot(path=f"{SHOTS}/embargo-personal-fr-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=f"{SHOTS}/embargo-personal-fr-1366.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Dossier de presse").click()
    assert download.value.suggested_filename == "dossier.pdf"
    assert ReleaseReading.objects.filter(release=release).count() == 1

    release.embargo_until = timezone.now() - dt.timedelta(minutes=1)
    release.save(update_fields=["embargo_until"])
    page.goto(link)

    assert page.url == f"{live_server.url}{release.versions.get(language='fr').get_absolute_url()}"
    assert page.get_by_role("alert").count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == "Les villes s'engagent"
    assert ReleaseReading.objects.filter(release=release).count() == 1
