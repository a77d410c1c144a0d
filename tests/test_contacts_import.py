import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from contacts.enums import ContactSource, SuppressionReason
from contacts.imports.applying import contacts_import
from contacts.imports.reading import UnreadableSpreadsheet
from contacts.imports.reporting import plan_report
from contacts.journalists import journalist_erase, journalist_suppress
from contacts.models import ContactList, Journalist, Outlet
from tests.factories import ContactListFactory, JournalistFactory, OutletFactory, UserFactory

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding="utf-8") -> bytes:
    return text.encode(encoding)


def test_import_xlsx_with_title_row_and_french_headers_creates_journalists():
    data = xlsx_bytes(
        [
            ["Liste presse 2024"],
            [],
            ["Prénom", "Nom", "Courriel", "Média", "Pays", "Langue", "Téléphone", "Fonction"],
            ["Anne", "Martin", " Anne.Martin@Journal.example ", "Le Journal", "Belgique", "en",
             32470123456, "Reporter"],
        ]
    )  # fmt: skip

    plan = contacts_import(data=data)

    journalist = Journalist.objects.get()
    assert plan.counts() == {"created": 1, "updated": 0, "unchanged": 0, "refused": 0}
    assert plan.columns.header_row == 3
    assert journalist.email == "anne.martin@journal.example"
    assert (journalist.first_name, journalist.last_name) == ("Anne", "Martin")
    assert journalist.outlet.name == "Le Journal"
    assert journalist.outlet.country == "BE"
    assert journalist.country == "BE"
    assert journalist.language == "en"
    assert journalist.phone == "+32470123456"
    assert journalist.job_title == "Reporter"
    assert journalist.source == ContactSource.IMPORT
    assert journalist.consent_basis == "legitimate_interest"
    assert journalist.consent_at is not None


def test_import_csv_windows_1252_semicolons_english_headers():
    data = csv_bytes(
        "First name;Last name;Email address;Outlet;Country;Language;Phone;Job title\r\n"
        "Zoé;Lefèvre;zoe@media.example;Télé Sud;France;French;06 12 34 56 78;Rédactrice\r\n",
        encoding="cp1252",
    )

    contacts_import(data=data)

    journalist = Journalist.objects.get()
    assert (journalist.first_name, journalist.last_name) == ("Zoé", "Lefèvre")
    assert journalist.outlet.name == "Télé Sud"
    assert journalist.country == "FR"
    assert journalist.language == "fr"
    assert journalist.phone == "+33612345678"
    assert journalist.job_title == "Rédactrice"


def test_import_csv_utf8_bom_comma_and_unknown_columns_reported():
    data = csv_bytes("\ufeffE-mail,Name,Shoe size\r\nx@media.example,Jan De Smet,44\r\n")

    plan = contacts_import(data=data)

    journalist = Journalist.objects.get()
    assert (journalist.first_name, journalist.last_name) == ("Jan", "De Smet")
    assert plan.columns.unknown == ["Shoe size"]


def test_import_refuses_rows_without_valid_email_and_ignores_blank_rows():
    data = csv_bytes(
        "Email,First name\ngood@media.example,Good\n,No address\n\n,\nnot-an-email,Bad\n"
    )

    plan = contacts_import(data=data)

    assert list(Journalist.objects.values_list("email", flat=True)) == ["good@media.example"]
    assert [(r.row, r.note.code) for r in plan.refused] == [(3, "no_email"), (6, "invalid_email")]
    assert plan.refused[1].note.message == (
        "«\u202fnot-an-email\u202f» n’est pas une adresse e-mail valide."
    )
    assert plan.blank_rows == 2


def test_import_merges_duplicates_inside_the_file():
    data = csv_bytes(
        "Email,First name,Job title,City\n"
        "dup@media.example,Ann,Editor,\n"
        "DUP@media.example,Ann,Reporter,Gent\n"
    )

    plan = contacts_import(data=data)

    journalist = Journalist.objects.get()
    assert (journalist.job_title, journalist.city) == ("Editor", "Gent")
    assert plan.created[0].rows == [2, 3]
    assert [note.code for note in plan.created[0].notes] == ["duplicate", "duplicate_conflict"]


def test_import_fills_empty_fields_and_reports_conflicts_without_overwriting():
    existing = JournalistFactory(
        email="Known@Media.example", job_title="Editor", city="", first_name="Kim"
    )
    data = csv_bytes("Email,Job title,City,First name\nknown@media.example,Reporter,Liège,kim\n")

    plan = contacts_import(data=data)

    existing.refresh_from_db()
    assert plan.counts() == {"created": 0, "updated": 1, "unchanged": 0, "refused": 0}
    assert (existing.job_title, existing.city, existing.first_name) == ("Editor", "Liège", "Kim")
    assert [note.code for note in plan.updated[0].notes] == ["conflict"]
    assert Journalist.objects.count() == 1


def test_import_conflicts_name_countries_and_languages_as_people_read_them():
    JournalistFactory(email="known@media.example", country="BE", language="fr")
    data = csv_bytes(
        "Email,Country,Language\n"
        "known@media.example,France,English\n"
        "new@media.example,Belgique,fr\n"
        "NEW@media.example,Espagne,en\n"
    )

    plan = contacts_import(data=data, dry_run=True)

    assert [note.message for note in plan.unchanged[0].notes] == [
        (
            "Pays différent\u202f: le fichier indique "
            "«\u202fFrance\u202f», «\u202fBelgique\u202f» est conservé."
        ),
        (
            "Langue préférée différent\u202f: le fichier indique "
            "«\u202fAnglais\u202f», «\u202fFrançais\u202f» est conservé."
        ),
    ]
    assert [note.message for note in plan.created[0].notes][1:] == [
        "Ligne 4\u202f: pays «\u202fEspagne\u202f» ignoré, «\u202fBelgique\u202f» conservé.",
        (
            "Ligne 4\u202f: langue préférée «\u202fAnglais\u202f» "
            "ignoré, «\u202fFrançais\u202f» conservé."
        ),
    ]


def test_import_same_file_twice_is_unchanged_the_second_time():
    data = csv_bytes("Email,First name,Outlet\nsame@media.example,Sam,Radio Une\n")
    contacts_import(data=data, list_name="Radio")

    plan = contacts_import(data=data, list_name="Radio")

    assert plan.counts() == {"created": 0, "updated": 0, "unchanged": 1, "refused": 0}
    assert Outlet.objects.filter(name="Radio Une").count() == 1
    assert list(
        ContactList.objects.get(name="Radio").journalists.values_list("email", flat=True)
    ) == ["same@media.example"]


def test_import_matches_existing_outlet_case_insensitively():
    outlet = OutletFactory(name="Le Soir", country="BE")
    data = csv_bytes("Email,Outlet,Country\na@lesoir.example,le soir,BE\n")

    contacts_import(data=data)

    assert Journalist.objects.get().outlet == outlet
    assert Outlet.objects.count() == 1


def test_import_language_outside_site_languages_imports_with_default_and_warning():
    data = csv_bytes("Email,Language\nde@media.example,Deutsch\nx@media.example,Klingon\n")

    plan = contacts_import(data=data)

    assert list(Journalist.objects.order_by("email").values_list("language", flat=True)) == [
        "fr",
        "fr",
    ]
    assert plan.counts()["refused"] == 0
    assert [entry.notes[0].code for entry in plan.created] == ["unknown_language"] * 2
    assert plan.created[0].notes[0].message == (
        "La langue «\u202fDeutsch\u202f» n’est pas une des langues du site\u202f; "
        "importé avec la langue par défaut (Français)."
    )


def test_import_unknown_country_left_empty_with_warning():
    data = csv_bytes("Email,Country\nn@media.example,Narnia\n")

    plan = contacts_import(data=data)

    assert Journalist.objects.get().country == ""
    assert plan.created[0].notes[0].code == "unknown_country"


def test_import_never_resubscribes_suppressed_or_erased():
    unsubscribed = JournalistFactory(email="gone@media.example", job_title="")
    journalist_suppress(journalist=unsubscribed, reason=SuppressionReason.UNSUBSCRIBED)
    erased = JournalistFactory(email="erased@media.example")
    journalist_erase(journalist=erased, by=UserFactory())
    data = csv_bytes("Email,Job title\ngone@media.example,Editor\nERASED@media.example,Editor\n")

    plan = contacts_import(data=data, list_name="Newsletter")

    unsubscribed.refresh_from_db()
    assert unsubscribed.suppressed_at is not None
    assert unsubscribed.job_title == "Editor"
    assert plan.updated[0].notes[0].code == "stays_suppressed"
    assert [(r.row, r.note.code) for r in plan.refused] == [(3, "suppressed_address")]
    assert not Journalist.objects.mailable().exists()
    assert Journalist.objects.filter(email__iexact="erased@media.example").count() == 0


def test_import_list_option_adds_everyone_to_an_existing_list():
    contact_list = ContactListFactory(name="Belgique")
    known = JournalistFactory(email="known@media.example")
    data = csv_bytes("Email\nknown@media.example\nnew@media.example\n")

    plan = contacts_import(data=data, list_name="belgique")

    assert plan.counts() == {"created": 1, "updated": 1, "unchanged": 0, "refused": 0}
    assert set(contact_list.journalists.values_list("email", flat=True)) == {
        known.email,
        "new@media.example",
    }


def test_import_dry_run_changes_nothing():
    data = csv_bytes("Email,Outlet\nnew@media.example,New Outlet\n")

    plan = contacts_import(data=data, list_name="Fresh", dry_run=True)

    assert plan.counts()["created"] == 1
    assert Journalist.objects.count() == 0
    assert Outlet.objects.count() == 0
    assert ContactList.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"%PDF-1.4\x00\x01binary", "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "protected_or_xls"),
        (b"PK\x03\x04corrupted zip", "corrupt"),
        (b"Name,City\nAnn,Gent\n", "no_email_column"),
    ],
)
def test_import_unreadable_file_raises_and_changes_nothing(data, code):
    with pytest.raises(UnreadableSpreadsheet) as raised:
        contacts_import(data=data)

    assert raised.value.code == code
    assert Journalist.objects.count() == 0


def test_import_is_all_or_nothing(monkeypatch):
    existing = JournalistFactory(email="c@media.example", city="")
    data = csv_bytes("Email,City,Outlet\na@media.example,,Fresh\nc@media.example,Gent,\n")

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Journalist.lists.through.objects, "bulk_create", fail)

    with pytest.raises(RuntimeError):
        contacts_import(data=data, list_name="New list")

    existing.refresh_from_db()
    assert list(Journalist.objects.all()) == [existing]
    assert existing.city == ""
    assert list(Outlet.objects.all()) == [existing.outlet]
    assert ContactList.objects.count() == 0


def test_import_command_prints_report(tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text("Email,First name\nok@media.example,Ok\nbad,Bad\n", encoding="utf-8")

    call_command("import_contacts", str(path), "--list", "Press")

    out = capsys.readouterr().out
    assert "ligne 3 refusée\u202f: «\u202fbad\u202f» n’est pas une adresse e-mail valide." in out
    assert "Créés\u202f: 1, mis à jour\u202f: 0, inchangés\u202f: 0, refusés\u202f: 1 " in out
    assert ContactList.objects.get(name="Press").journalists.count() == 1


def test_import_command_dry_run_changes_nothing(tmp_path, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text("Email\nok@media.example\n", encoding="utf-8")

    call_command("import_contacts", str(path), "--dry-run")

    assert "Essai à blanc" in capsys.readouterr().out
    assert Journalist.objects.count() == 0


def test_import_command_unreadable_file_exits_with_message(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"PK\x03\x04not really")

    with pytest.raises(CommandError) as raised:
        call_command("import_contacts", str(path))

    assert "Ce classeur ne peut pas être lu" in str(raised.value)


def test_import_reports_progress_per_chunk(monkeypatch):
    monkeypatch.setattr("contacts.imports.planning.CHUNK_ROWS", 1000)
    rows = "".join(f"p{index}@media.example\n" for index in range(1500))
    calls = []

    contacts_import(data=csv_bytes("Email\n" + rows), progress=lambda *done: calls.append(done))

    assert calls == [("reading", 1501, 0), ("writing", 1000, 1500), ("writing", 1500, 1500)]
    assert Journalist.objects.count() == 1500


def test_import_command_shows_progress_on_long_files(tmp_path, capsys):
    path = tmp_path / "long.csv"
    path.write_text("Email\n" + "".join(f"p{i}@media.example\n" for i in range(2500)))

    call_command("import_contacts", str(path))

    err = capsys.readouterr().err.splitlines()
    assert err == [
        "Lecture du fichier\u202f: 2501 lignes",
        "Enregistrement des journalistes\u202f: 2000 / 2500",
        "Enregistrement des journalistes\u202f: 2500 / 2500",
    ]


def test_import_report_lists_at_most_fifty_new_outlets_and_counts_them_all():
    rows = "\n".join(f"j{n}@media.example,Journal {n:03}" for n in range(60))

    plan = contacts_import(data=csv_bytes(f"Email,Outlet\n{rows}\n"), dry_run=True)
    report = plan_report(plan)

    assert report["new_outlet_count"] == 60
    assert report["new_outlets"] == [f"Journal {n:03}" for n in range(50)]
    assert report["more_outlets"] == 10
