import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from contacts.enums import SuppressionReason
from contacts.exporting import journalists_export
from contacts.journalists import journalist_erase, journalist_suppress
from contacts.models import Journalist
from tests.factories import ContactListFactory, JournalistFactory, OutletFactory

pytestmark = pytest.mark.django_db


def read_sheet(target) -> list[list]:
    sheet = load_workbook(target).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_journalists_export_writes_one_row_per_journalist_with_lists_and_status():
    outlet = OutletFactory(name="Le Soir", kind="newspaper")
    ann = JournalistFactory(
        first_name="Ann",
        last_name="Aa",
        email="ann@media.example",
        outlet=outlet,
        country="BE",
        language="en",
        phone="+32470123456",
    )
    ann.lists.add(ContactListFactory(name="Zèbre"), ContactListFactory(name="Belgique"))
    bob = JournalistFactory(first_name="Bob", last_name="Bb", outlet=None, country="")
    journalist_suppress(journalist=bob, reason=SuppressionReason.BOUNCED)
    journalist_erase(journalist=JournalistFactory(last_name="Cc"), by=None)
    target = io.BytesIO()

    count = journalists_export(target=target, queryset=Journalist.objects.order_by("last_name"))

    target.seek(0)
    rows = read_sheet(target)
    assert count == 2
    assert rows[0] == [
        "Prénom",
        "Nom",
        "E-mail",
        "Téléphone",
        "Média",
        "Fonction",
        "Thématiques",
        "Pays",
        "Ville",
        "Langue",
        "Listes",
        "Non joignable car",
    ]
    assert rows[1] == [
        "Ann",
        "Aa",
        "ann@media.example",
        "+32470123456",
        "Le Soir",
        None,
        None,
        "Belgique",
        None,
        "Anglais",
        "Belgique, Zèbre",
        None,
    ]
    assert rows[2][4] is None
    assert rows[2][11] == "Adresse en échec"


def test_journalists_export_neutralises_formulas():
    JournalistFactory(first_name='=HYPERLINK("http://evil")', job_title="+32 2 555", notes="")
    target = io.BytesIO()

    journalists_export(target=target)

    target.seek(0)
    sheet = load_workbook(target).active
    assert sheet["A2"].value == '=HYPERLINK("http://evil")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold is True


def test_export_command_writes_a_list(tmp_path, capsys):
    contact_list = ContactListFactory(name="Radio")
    JournalistFactory(email="on@media.example").lists.add(contact_list)
    JournalistFactory(email="off@media.example")
    out = tmp_path / "radio.xlsx"

    call_command("export_contacts", str(out), "--list", "radio")

    rows = read_sheet(out)
    assert [row[2] for row in rows[1:]] == ["on@media.example"]
    assert "1 journaliste exporté" in capsys.readouterr().out


def test_export_command_unknown_list_fails(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("export_contacts", str(tmp_path / "x.xlsx"), "--list", "Nope")

    assert "Aucune liste ne s’appelle «\u202fNope\u202f»." in str(raised.value)
    assert not (tmp_path / "x.xlsx").exists()
