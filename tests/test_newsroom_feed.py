import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from press.releases.enums import ReleaseStatus
from tests.factories import EventFactory, ReleaseFactory, ReleaseVersionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_url(language):
    with translation.override(language):
        return reverse("newsroom:feed")


def release_url(language, slug):
    with translation.override(language):
        return reverse("newsroom:release", kwargs={"slug": slug})


def entries(client, language):
    response = client.get(feed_url(language))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root, [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_feed_lists_the_public_versions_in_its_language_newest_first(client):
    EventFactory(slug="brussels")
    now = timezone.now()
    older = ReleaseFactory(publish_at=now - dt.timedelta(days=2))
    ReleaseVersionFactory(release=older, language="fr", title="Ancien", slug="ancien")
    ReleaseVersionFactory(release=older, language="en", title="Older", slug="older")
    newer = ReleaseFactory(publish_at=now - dt.timedelta(hours=1))
    ReleaseVersionFactory(release=newer, language="fr", title="Récent", slug="recent")

    root, french = entries(client, "fr")
    _root, english = entries(client, "en")

    assert french == [
        ("Récent", f"http://testserver{release_url('fr', 'recent')}"),
        ("Ancien", f"http://testserver{release_url('fr', 'ancien')}"),
    ]
    assert english == [("Older", "http://testserver/en/releases/older/")]
    with translation.override("fr"):
        expected = translation.gettext("%(event)s — press releases") % {
            "event": "Conférence brussels"
        }
    assert root.find(f"{ATOM}title").text == expected
    assert root.find(f"{ATOM}link").get("href") == "http://testserver/fr/"


def test_feed_never_shows_what_the_newsroom_hides(client):
    future = timezone.now() + dt.timedelta(days=1)
    ReleaseVersionFactory(
        language="en", title="Embargoed", release=ReleaseFactory(embargo_until=future)
    )
    ReleaseVersionFactory(
        language="en",
        title="Scheduled",
        release=ReleaseFactory(status=ReleaseStatus.SCHEDULED, publish_at=future),
    )
    ReleaseVersionFactory(
        language="en",
        title="Draft",
        release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None),
    )
    ReleaseVersionFactory(language="en", title="Public", slug="public")

    _root, english = entries(client, "en")

    assert english == [("Public", "http://testserver/en/releases/public/")]


def test_feed_is_announced_on_the_newsroom(client):
    html = client.get("/en/").content.decode()

    assert f'type="application/atom+xml" title="Press releases" href="{feed_url("en")}"' in html


def test_sitemap_lists_the_newsroom_and_public_versions_only(client):
    release = ReleaseFactory()
    ReleaseVersionFactory(release=release, language="en", slug="public")
    ReleaseVersionFactory(
        language="en",
        slug="embargoed",
        release=ReleaseFactory(embargo_until=timezone.now() + dt.timedelta(days=1)),
    )

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = sorted(loc.text for loc in root.iter(f"{SITEMAP}loc"))
    assert locations == [
        "http://testserver/en/",
        "http://testserver/en/releases/public/",
        "http://testserver/fr/",
    ]
