"""The desk in Chromium: a handheld scanner types a code and Enter (OK, then already);
with the network gone, a scan is answered from the device's list and queued, then
sent when the network returns; logging out forgets the device's copy."""

import pytest

from press.checkin.models import CheckIn, Scan
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_page(chromium, live_server, staff_user):
    staff_user("Check-in desk", username="tom", first_name="Tom", last_name="Peeters")
    # Service workers are blocked here: Playwright's offline switch does not cut a
    # worker's own fetches, and the page must answer offline by itself anyway.
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR", service_workers="block"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/admin/login/?next=/office/checkin/")
    page.fill("#id_username", "tom")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/office/checkin/")
    yield context, page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def test_desk_scans_online_then_offline_then_syncs(desk_page):
    event = event_today()
    first = badge_for(approved_request(event, first_name="Zoë", last_name="O'Brien"))
    second = badge_for(approved_request(event, first_name="Ольга", last_name="Петрова"))
    context, page = desk_page
    page.reload()
    page.fill("#desk-name", "Entrée A")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/office/checkin/")
    # The day's list is on the device once the page has loaded it.
    page.locator("#list-status").filter(has_text="2 badges").wait_for()

    # The scanner types into the focused field and presses Enter.
    page.keyboard.type(first.code)
    page.keyboard.press("Enter")
    answer = page.locator("#answer")
    answer.filter(has_text="OK\u202f: remettre le badge").wait_for()
    assert page.locator("#answer-name").inner_text() == "Zoë O'Brien"
    assert page.evaluate("document.activeElement.id") == "code"

    page.keyboard.type(first.code)
    page.keyboard.press("Enter")
    answer.filter(has_text="Déjà entré aujourd’hui").wait_for()
    assert "poste Entrée A" in page.locator("#answer-detail").inner_text()
    assert "Tom Peeters" in page.locator("#answer-detail").inner_text()

    # The venue's network drops.
    context.set_offline(True)
    page.locator("#net").filter(has_text="Hors ligne").wait_for()
    page.keyboard.type(second.code)
    page.keyboard.press("Enter")
    answer.filter(has_text="OK\u202f: remettre le badge").wait_for()
    assert page.locator("#answer-name").inner_text() == "Ольга Петрова"
    assert "Réponse hors ligne" in page.locator("#answer-offline").inner_text()
    page.locator("#queue-status").filter(has_text="1 scan en attente d’envoi").wait_for()
    assert CheckIn.objects.filter(badge_request=second.badge_request).count() == 0

    # The same badge again, still offline: this device knows it let her in.
    page.keyboard.type(second.code)
    page.keyboard.press("Enter")
    answer.filter(has_text="Déjà entré aujourd’hui").wait_for()

    # Back online: the queue goes to the server.
    context.set_offline(False)
    page.locator("#queue-status").wait_for(state="hidden")
    check_in = CheckIn.objects.get(badge_request=second.badge_request)
    assert (check_in.offline, check_in.desk) == (True, "Entrée A")
    assert Scan.objects.filter(offline=True).count() == 2
    assert Scan.objects.filter(conflict=True).count() == 0

    # Logging out forgets the device's copy.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/admin/logout/")
    page.wait_for_function(
        "indexedDB.databases().then(dbs => !dbs.some(db => db.name === 'presse-checkin'))"
    )


def test_desk_page_installs_its_service_worker_and_keeps_the_page(page, staff_user, live_server):
    staff_user("Check-in desk", username="tom")
    page.goto("/admin/login/?next=/office/checkin/")
    page.fill("#id_username", "tom")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/office/checkin/")

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
    page.goto("/admin/login/?next=/office/checkin/")
    page.fill("#id_username", "tom")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/office/checkin/")
    context.set_offline(True)
    page.locator("#net").filter(has_text="Hors ligne").wait_for()

    page.keyboard.type(badge.code)
    page.keyboard.press("Enter")

    page.locator("#answer-offline").filter(has_text="aucune liste sur cet appareil").wait_for()
    assert page.locator("#answer-headline").inner_text() == "Code inconnu"
    context.close()
    assert CheckIn.objects.count() == 0
    assert errors == []
