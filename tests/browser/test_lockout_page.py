"""The back-office lockout page as a locked-out colleague sees it, in French and in
English, on a phone and a laptop; no serious accessibility violation."""

import pytest

from press import permissions
from tests.browser.conftest import axe_serious, screenshot
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_wrongly(page, times):
    for _attempt in range(times):
        page.goto("/admin/login/")
        page.fill("#id_username", "julien")
        page.fill("#id_password", "wrong")
        page.get_by_role("button").last.click()


@pytest.mark.parametrize(
    ("locale", "heading", "contact"),
    [
        ("fr-FR", "Connexion bloquée", "écrivez au service de presse"),
        ("en-GB", "Sign-in locked", "write to the press office"),
    ],
)
def test_lockout_page_reads_in_the_language(
    chromium, live_server, staff_user, axe_source, locale, heading, contact
):
    EventFactory(slug="brussels", press_email="presse@event.example")
    staff_user(permissions.PRESS_OFFICER, username="julien")
    context = chromium.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    try:
        _sign_in_wrongly(page, 5)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert contact in page.locator("main").inner_text()
        assert page.locator("main a[href='mailto:presse@event.example']").count() == 1
        assert axe_serious(page, axe_source) == []
        screenshot(page, f"lockout-{locale[:2]}")
    finally:
        context.close()
