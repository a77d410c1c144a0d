from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from press import permissions
from press.accreditation.enums import BadgeRequestState
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.coverage import CoverageItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_opens_the_dashboard_and_downloads_a_charts_xlsx(page, staff_user, event):
    staff_user(permissions.PRESS_OFFICER, username="julien")
    BadgeRequestFactory.create_batch(2, event=event, state=BadgeRequestState.SUBMITTED)
    BadgeRequestFactory(event=event, state=BadgeRequestState.APPROVED)
    CoverageItemFactory.create_batch(3, event=event, country="FR")

    page.goto("/admin/login/")
    page.fill("#id_username", "julien")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Ouvrir le tableau de bord").click()
    page.wait_for_url("**/office/dashboard/")

    assert page.get_by_role("heading", name="Demandes de badge", exact=True).count() == 1
    chart = page.locator("figure", has=page.get_by_role("heading", name="Retombées par pays"))
    assert chart.locator("svg rect").count() == 1
    with page.expect_download() as download_info:
        chart.get_by_role("link", name="Télécharger (xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == f"coverage-country-{event.slug}.xlsx"
    content = Path(download.path()).read_bytes()
    rows = list(load_workbook(BytesIO(content)).active.values)
    assert rows == [("Pays", "Nombre"), ("France", 3)]
