"""axe-core on every public page, the desk's check-in page and the office's own pages,
in both languages, at a phone's and a laptop's width: no serious or critical violation."""

import pytest
from django.urls import reverse
from django.utils import translation

from press import permissions
from press.accreditation.enums import BadgeRequestState
from tests.browser.conftest import axe_serious, log_in
from tests.factories import EventFactory, JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.checkin import approved_request, badge_for, event_today
from tests.factories.coverage import CoverageInvitationFactory, CoverageItemFactory
from tests.factories.mailings import DeliveryFactory, bilingual_release

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("fr", "en")
WIDTHS = (390, 1366)


def _public_pages(language: str) -> list[str]:
    event = EventFactory(slug="brussels")
    release = bilingual_release(event=event)
    version = release.versions.get(language=language)
    submitted = BadgeRequestFactory(event=event, state=BadgeRequestState.SUBMITTED)
    # An approved request with its badge: the status page shows the QR code.
    badged = badge_for(approved_request(event))
    delivery = DeliveryFactory(journalist=JournalistFactory())
    invitation = CoverageInvitationFactory(event=event)
    CoverageItemFactory(event=event, journalist=invitation.journalist, headline="Le sommet")
    with translation.override(language):
        return [
            reverse("newsroom:index"),
            reverse("newsroom:release", kwargs={"slug": version.slug}),
            reverse("accreditation:request"),
            reverse("accreditation:privacy"),
            reverse("accreditation:status", kwargs={"token": submitted.token}),
            reverse("accreditation:status", kwargs={"token": badged.badge_request.token}),
            reverse("mailings:unsubscribe", kwargs={"token": delivery.token}),
            reverse("coverage:submit", kwargs={"token": invitation.token}),
            f"/{language}/no-such-page/",
        ]


def _check(page, axe_source, urls):
    failures = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            response = page.goto(url)
            assert response.status < 500, url
            found = axe_serious(page, axe_source)
            if found:
                failures[f"{url} at {width} px"] = found
    assert failures == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_have_no_serious_accessibility_violation(page, axe_source, language):
    _check(page, axe_source, _public_pages(language))


def _logged_in(chromium, live_server, language, username, landing="/admin/"):
    context = chromium.new_context(
        base_url=live_server.url, locale=f"{language}-BE", service_workers="block"
    )
    page = context.new_page()
    log_in(page, username, landing)
    return context, page


@pytest.mark.parametrize("language", LANGUAGES)
def test_office_pages_of_our_own_have_no_serious_accessibility_violation(
    chromium, live_server, axe_source, staff_user, language
):
    event = event_today(slug="brussels")
    BadgeRequestFactory.create_batch(3, event=event)
    to_review = BadgeRequestFactory(event=event, state=BadgeRequestState.SUBMITTED)
    badge_for(approved_request(event))
    CoverageItemFactory.create_batch(2, event=event, country="FR")
    staff_user(permissions.PRESS_OFFICER, username="claire")
    context, page = _logged_in(chromium, live_server, language, "claire")
    try:
        _check(
            page,
            axe_source,
            [
                reverse("admin:index"),
                reverse("dashboard:index"),
                # The review queue and one request's review page.
                reverse("admin:accreditation_badgerequest_changelist"),
                reverse("admin:accreditation_badgerequest_change", args=[to_review.pk]),
                reverse("badges:print"),
            ],
        )
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_in_desk_page_has_no_serious_accessibility_violation(
    chromium, live_server, axe_source, staff_user, language
):
    event = event_today()
    badge = badge_for(approved_request(event, first_name="Zoë", last_name="O'Brien"))
    staff_user("Check-in desk", username="tom", first_name="Tom", last_name="Peeters")
    context, page = _logged_in(chromium, live_server, language, "tom", "/office/checkin/")
    try:
        # Before the desk has a name, then with one and an answer on the screen.
        _check(page, axe_source, [reverse("checkin:scan")])
        page.fill("#desk-name", "Entrée A")
        page.locator("#desk-name").press("Enter")
        page.locator("#list-status").filter(has_text="1").wait_for()
        page.keyboard.type(badge.code)
        page.keyboard.press("Enter")
        page.locator("#answer-name").filter(has_text="O'Brien").wait_for()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert axe_serious(page, axe_source) == [], f"desk with an answer at {width} px"
    finally:
        context.close()
