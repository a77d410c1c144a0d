"""The desk in Chromium: its service worker keeps the page; offline without the day's
list it says to call the press office. (Scanning online, offline and syncing is journey
4 in test_journeys.py.)"""

import re

import pytest

from press.checkin.models import CheckIn
from tests.browser.conftest import log_in, screenshot
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db(transaction=True)


def test_desk_page_installs_its_service_worker_and_keeps_the_page(page, staff_user, live_server):
    staff_user("Check-in desk", username="tom")
    log_in(page, "tom", "/office/checkin/")

    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/office/checkin/"
    page.wait_for_function(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.match('/office/checkin/'))))).then(hits => hits.some(Boolean))"
    )
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href, {credentials: 'include'})"
        ".then(r => r.json())"
    )
    assert manifest["display"] == "standalone"


def test_desk_offline_without_a_list_says_to_call_the_press_office(
    chromium, live_server, staff_user
):
    badge = badge_for(approved_request(event_today()))
    staff_user("Check-in desk", username="tom")
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", service_workers="block"
    )
    # This device never gets the day's list.
    context.route("**/office/checkin/day-list/", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "tom", "/office/checkin/")
    context.set_offline(True)
    page.locator("#net").filter(has_text="Hors ligne").wait_for()

    page.keyboard.type(badge.code)
    page.keyboard.press("Enter")

    page.locator("#answer-offline").filter(has_text="aucune liste sur cet appareil").wait_for()
    assert page.locator("#answer-headline").inner_text() == "Code inconnu"
    context.close()
    assert CheckIn.objects.count() == 0
    assert errors == []


def test_desk_offline_shows_a_placeholder_for_a_journalist_without_a_photo(
    chromium, live_server, staff_user
):
    badge = badge_for(approved_request(event_today(), first_name="Zoë", photo=""))
    staff_user("Check-in desk", username="tom")
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", service_workers="block"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "tom", "/office/checkin/")
    page.locator("#list-status").filter(has_text=re.compile(r": 1 badge$")).wait_for()
    context.set_offline(True)
    page.locator("#net").filter(has_text="Hors ligne").wait_for()

    page.keyboard.type(badge.code)
    page.keyboard.press("Enter")

    page.locator("#answer").filter(has_text="OK\u202f: remettre le badge").wait_for()
    placeholder = page.locator("#answer-photo-none")
    assert placeholder.is_visible()
    assert placeholder.inner_text() == (
        "Pas de photo\u202f: comparer le nom avec une pièce d’identité"
    )
    assert page.locator("#answer-photo").is_hidden()
    assert page.locator("#answer-photo").get_attribute("src") is None
    screenshot(page, "desk-offline-no-photo")
    context.close()
    assert errors == []
