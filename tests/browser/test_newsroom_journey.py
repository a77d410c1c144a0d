"""A journalist searches the newsroom without accents, filters by topic, opens a
release, copies its link and downloads a press contact's card."""

import pytest

from press.releases.models import Topic
from tests.factories import EventFactory, ReleaseFactory, ReleaseVersionFactory
from tests.factories.releases import PressContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/shots/newsroom"


def test_journalist_searches_filters_and_shares(page, live_server):
    event = EventFactory(slug="brussels", name={"fr": "Sommet des villes", "en": "Cities summit"})
    safety = Topic.objects.create(slug="securite", name={"fr": "Sécurité", "en": "Safety"})
    release = ReleaseFactory(event=event)
    release.topics.add(safety)
    release.contacts.add(PressContactFactory(name="Claire Dubois"))
    ReleaseVersionFactory(
        release=release,
        language="fr",
        title="Sécurité urbaine : les villes s’engagent",
        slug="securite-urbaine",
        body="<p>Huit cents élus réunis à Bruxelles pour la sécurité des réseaux.</p>",
    )
    ReleaseVersionFactory(
        release=release,
        language="en",
        title="Urban safety: cities commit",
        slug="urban-safety",
        body="<p>Eight hundred elected officials meet in Brussels.</p>",
    )
    other = ReleaseFactory(event=event)
    ReleaseVersionFactory(release=other, language="fr", title="Mobilité douce", slug="mobilite")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    for lang, query in (("fr", "securite"), ("en", "safety")):
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"/{lang}/")
            page.get_by_role("searchbox").fill(query)
            page.get_by_role("button", name="Filtrer" if lang == "fr" else "Filter").click()
            page.wait_for_url(f"**/{lang}/?q={query}*")
            titles = page.locator(".release-card h3").all_inner_texts()
            expected = (
                "Sécurité urbaine\u202f: les villes s’engagent"
                if lang == "fr"
                else "Urban safety: cities commit"
            )
            assert titles == [expected]
            page.screenshot(path=f"{SHOTS}/index-search-{lang}-{width}.png", full_page=True)

    page.goto("/fr/")
    page.get_by_label("Thème").select_option("securite")
    page.get_by_role("button", name="Filtrer").click()
    # French typography on display: a narrow no-break space before the colon.
    assert page.locator(".release-card h3").all_inner_texts() == [
        "Sécurité urbaine\u202f: les villes s’engagent"
    ]
    page.get_by_role("link", name="Sécurité urbaine\u202f: les villes s’engagent").click()

    page.get_by_role("button", name="Copier le lien").click()
    page.get_by_text("Lien copié.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"{live_server.url}/fr/communiques/securite-urbaine/"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter Claire Dubois à vos contacts (vCard)").click()
    assert download.value.suggested_filename == "claire-dubois.vcf"
    for lang, path in (
        ("fr", "/fr/communiques/securite-urbaine/"),
        ("en", "/en/releases/urban-safety/"),
    ):
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            page.screenshot(path=f"{SHOTS}/release-{lang}-{width}.png", full_page=True)
