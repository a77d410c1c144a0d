"""The office prints badges: every approved badge not yet printed, four to an A4 sheet,
from the print page; one badge from its request's page, then again after a warning.
Each page is looked at in French and in English, at a phone's and a laptop's width."""

import io
from pathlib import Path

import pypdf
import pytest

from press import permissions
from press.badges.models import Badge
from tests.browser.conftest import log_in, screenshot
from tests.factories.badges import BadgeFactory

pytestmark = pytest.mark.django_db(transaction=True)

A4_MM = (210, 297)
A6_MM = (105, 148)
TEXTS = {
    "fr": {
        "print": "Imprimer ces badges (PDF)",
        "download": "Télécharger le badge (PDF)",
        "again": "Réimprimer le badge (PDF)",
        "confirm": "Oui, réimprimer",
        "none_left": "0 badge approuvé",
    },
    "en": {
        "print": "Print these badges (PDF)",
        "download": "Download the badge (PDF)",
        "again": "Print the badge again (PDF)",
        "confirm": "Yes, print again",
        "none_left": "0 approved badge",
    },
}


@pytest.fixture
def officer_page(chromium, live_server, staff_user, request):
    language = request.param
    staff_user(permissions.PRESS_OFFICER, username="amelie")
    context = chromium.new_context(
        base_url=live_server.url, locale="fr-FR" if language == "fr" else "en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "amelie")
    yield language, page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def pdf_pages_mm(path: str) -> list[tuple[int, int]]:
    reader = pypdf.PdfReader(io.BytesIO(Path(path).read_bytes()))
    return [
        (round(float(p.mediabox.width) / 72 * 25.4), round(float(p.mediabox.height) / 72 * 25.4))
        for p in reader.pages
    ]


@pytest.mark.parametrize("officer_page", ["fr", "en"], indirect=True)
def test_the_office_prints_every_pending_badge_four_to_a_sheet(officer_page, event):
    language, page = officer_page
    names = ["Søren Łukasiewicz-Ğündoğdu", "Zoë O'Brien", "Αλέξανδρος Παπαδόπουλος"]
    for index, name in enumerate(names * 2):
        first, last = name.split(" ", 1)
        BadgeFactory(
            badge_request__event=event,
            badge_request__first_name=first,
            badge_request__last_name=f"{last} {index}",
            badge_request__outlet_name="Radio-Télévision Belge de la Communauté française",
        )
    texts = TEXTS[language]

    page.goto("/office/badges/print/")
    assert page.get_by_role("status").inner_text().startswith("6 ")
    screenshot(page, f"badges-print-{language}")
    page.get_by_label("Layout" if language == "en" else "Mise en page").select_option("a4-4up")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=texts["print"]).click()
    download = download_info.value

    assert download.suggested_filename.startswith("badges-")
    assert pdf_pages_mm(download.path()) == [A4_MM, A4_MM]
    assert Badge.objects.filter(printed_at__isnull=False).count() == 6
    page.goto("/office/badges/print/")
    assert page.get_by_role("status").inner_text().startswith(texts["none_left"])
    screenshot(page, f"badges-print-done-{language}")


@pytest.mark.parametrize("officer_page", ["fr", "en"], indirect=True)
def test_the_office_downloads_one_badge_then_prints_it_again_after_a_warning(officer_page, event):
    language, page = officer_page
    badge = BadgeFactory(
        badge_request__event=event,
        badge_request__first_name="Ольга",
        badge_request__last_name="Смирнова",
        badge_request__language=language,
    )
    texts = TEXTS[language]
    change = f"/admin/accreditation/badgerequest/{badge.badge_request.pk}/change/"

    page.goto(change)
    screenshot(page, f"badges-request-{language}")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=texts["download"]).click()
    assert pdf_pages_mm(download_info.value.path()) == [A6_MM]
    badge.refresh_from_db()
    assert badge.printed_at is not None

    page.goto(change)
    page.get_by_role("button", name=texts["again"]).click()
    warning = page.get_by_role("alert")
    assert "Ольга Смирнова" in page.locator(".badges-reprint-list").inner_text()
    assert warning.is_visible()
    screenshot(page, f"badges-reprint-{language}")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=texts["confirm"]).click()
    assert pdf_pages_mm(download_info.value.path()) == [A6_MM]
    assert badge.prints.filter(reprint=True).count() == 1
