import io

import pytest
from openpyxl import Workbook, load_workbook

from contacts.models import ContactList, Journalist
from press import permissions
from tests.browser.conftest import log_in
from tests.factories import JournalistFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_previews_then_applies_a_spreadsheet_import(page, staff_user, tmp_path):
    staff_user(permissions.PRESS_OFFICER, username="julien")
    JournalistFactory(email="known@media.example", city="")
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["Contacts presse"],
        ["Prénom", "Nom", "Courriel", "Ville", "Pointure"],
        ["Ines", "Silva", "ines@jornal.example", "Lisboa", 38],
        [None, None, "known@media.example", "Gent", None],
        ["Sans", "Adresse", "pas-une-adresse", None, None],
    ]:
        sheet.append(row)
    path = tmp_path / "contacts.xlsx"
    workbook.save(path)
    log_in(page, "julien")

    page.goto("/admin/contacts/journalist/")
    page.get_by_role("link", name="Importer un tableur").click()
    page.set_input_files("#id_file", str(path))
    page.fill("#id_new_list", "Lusophones")
    page.get_by_role("button", name="Aperçu").click()

    report = page.locator("#content-main").inner_text()
    assert "1 journaliste à créer" in report
    assert "1 à mettre à jour" in report
    assert "«\u202fpas-une-adresse\u202f» n’est pas une adresse e-mail valide." in report
    assert Journalist.objects.count() == 1

    page.get_by_role("button", name="Appliquer l’import").click()
    page.wait_for_selector('.import-state:has-text("Terminé")')

    assert set(Journalist.objects.values_list("email", "city")) == {
        ("known@media.example", "Gent"),
        ("ines@jornal.example", "Lisboa"),
    }
    assert ContactList.objects.get(name="Lusophones").journalists.count() == 2


def test_officer_exports_the_filtered_list(page, staff_user):
    staff_user(permissions.PRESS_OFFICER, username="julien")
    JournalistFactory(country="BE", email="be@media.example")
    JournalistFactory(country="FR", email="fr@media.example")
    log_in(page, "julien")

    page.goto("/admin/contacts/journalist/?country=FR")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter cette liste en xlsx").click()
    content = download_info.value.path().read_bytes()

    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["fr@media.example"]
