"""axe-core on every public page, the desk's check-in page and the office's own pages,
in both languages, at a phone's and a laptop's width: no serious or critical violation."""

import pytest
from django.urls import reverse
from django.utils import translation

from press import permissions
from press.accreditation.enums import BadgeRequestState
from tests.browser.conftest import axe_serious
from tests.factories import EventFactory, JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.mailings import DeliveryFactory, bilingual_release

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("fr", "en")
WIDTHS = (390, 1366)


def _public_pages(language: str) -> list[str]:
    event = EventFactory(slug="brussels")
    release = bilingual_release(event=event)
    version = release.versions.get(language=language)
    approved = BadgeRequestFactory(event=event, state=BadgeRequestState.APPROVED)
    delivery = DeliveryFactory(journalist=JournalistFactory())
    with translation.override(language):
        return [
            reverse("newsroom:index"),
            reverse("newsroom:release", kwargs={"slug": version.slug}),
            reverse("accreditation:request"),
            reverse("accreditation:privacy"),
            reverse("accreditation:status", kwargs={"token": approved.token}),
            reverse("mailings:unsubscribe", kwargs={"token": delivery.token}),
            f"/{language}/no-such-page/",
        ]


def _check(page, axe_source, urls):
    failures = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            found = axe_serious(page, axe_source)
            if found:
                failures[f"{url} at {width} px"] = found
    assert failures == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_serious_accessibility_violation(page, axe_source, language):
    _check(page, axe_source, _public_pages(language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_office_pages_of_our_own_have_no_serious_accessibility_violation(
    chromium, live_server, axe_source, staff_user, language
):
    EventFactory(slug="brussels")
    BadgeRequestFactory.create_batch(3)
    staff_user(permissions.PRESS_OFFICER, username="claire")
    context = chromium.new_context(base_url=live_server.url, locale=f"{language}-BE")
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", "claire")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/admin/")
    try:
        _check(
            page,
            axe_source,
            [
                reverse("admin:index"),
                reverse("admin:accreditation_badgerequest_changelist"),
            ],
        )
    finally:
        context.close()
