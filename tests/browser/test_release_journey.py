"""A press officer writes a bilingual release through CKEditor, publishes it, and the
newsroom shows it in both languages; a script typed in source mode does not survive."""

import pytest
from django.urls import reverse
from django.utils import translation

from press import permissions
from press.releases.enums import ReleaseStatus
from press.releases.models import Release
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>document.title='pwned'</script>"


def editor_body(page, index):
    return page.frame_locator(f"#cke_id_versions-{index}-body iframe.cke_wysiwyg_frame").locator(
        "body"
    )


def test_officer_writes_and_publishes_a_bilingual_release(page, staff_user):
    EventFactory(slug="brussels")
    staff_user(permissions.PRESS_OFFICER, username="claire")
    posted = []
    page.on(
        "request",
        lambda request: (
            posted.append(request.post_data or "")
            if request.method == "POST" and request.url.endswith("/admin/releases/release/add/")
            else None
        ),
    )

    page.goto("/admin/login/")
    page.fill("#id_username", "claire")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/admin/")

    page.goto("/admin/releases/release/add/")
    page.fill("#id_dateline_place", "Bruxelles")
    page.fill("#id_versions-0-title", "Les villes adoptent une déclaration")
    page.fill("#id_versions-0-standfirst", "Huit cents élus réunis à Bruxelles.")
    editor_body(page, 0).click()
    editor_body(page, 0).fill("La conférence se termine par une déclaration commune.")

    assert page.locator("#id_versions-1-language").input_value() == "en"
    page.fill("#id_versions-1-title", "Cities adopt a declaration")
    page.click("#cke_id_versions-1-body .cke_button__source")
    source = page.locator("#cke_id_versions-1-body textarea.cke_source")
    source.fill(f"<p>The conference closes with a joint declaration.</p>{SCRIPT}")

    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/")
    assert any("script" in body for body in posted), "the script reached the server"

    release = Release.objects.get()
    french = release.versions.get(language="fr")
    english = release.versions.get(language="en")
    assert "La conférence se termine par une déclaration commune." in french.body
    assert english.body == "<p>The conference closes with a joint declaration.</p>"
    assert (french.slug, english.slug) == (
        "les-villes-adoptent-une-declaration",
        "cities-adopt-a-declaration",
    )

    with translation.override("fr"):
        publish_now = translation.gettext("Publish now")
    page.get_by_role("button", name=publish_now).click()
    page.wait_for_url("**/change/")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED

    page.goto("/fr/")
    page.get_by_role("link", name="Les villes adoptent une déclaration").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Les villes adoptent une déclaration"
    )
    assert (
        page.locator(".release-body")
        .inner_text()
        .endswith("La conférence se termine par une déclaration commune.")
    )

    page.goto("/en/")
    page.get_by_role("link", name="Cities adopt a declaration").click()
    with translation.override("en"):
        assert page.url.endswith(
            reverse("newsroom:release", kwargs={"slug": "cities-adopt-a-declaration"})
        )
    assert "The conference closes with a joint declaration." in page.content()
    assert "pwned" not in page.title()
    assert "<script>document.title" not in page.content()
