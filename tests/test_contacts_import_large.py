"""Import of files of any size: read as a stream, decided and written in chunks, all or
nothing; duplicates merged wherever they stand; formula cells reported on their row."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from contacts.imports import planning, spool
from contacts.imports.applying import contacts_import
from contacts.imports.reading import (
    MAX_ROWS,
    UnreadableSpreadsheet,
    spreadsheet_open,
    spreadsheet_read,
)
from contacts.models import ContactList, Journalist, Outlet
from tests.factories import JournalistFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, *, cached: dict[str, str] | None = None) -> bytes:
    """A workbook written by openpyxl (texts inline, formulas without a saved value),
    with `cached` {cell: value} written into those formula cells as Excel saves them."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not cached:
        return buffer.getvalue()
    source = zipfile.ZipFile(buffer)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in source.namelist():
            body = source.read(name).decode()
            if name == "xl/worksheets/sheet1.xml":
                for cell, value in cached.items():
                    body = re.sub(
                        rf'<c r="{cell}"><f>([^<]*)</f><v></v></c>',
                        rf'<c r="{cell}" t="str"><f>\1</f><v>{value}</v></c>',
                        body,
                    )
            target.writestr(name, body)
    return output.getvalue()


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of two rows and spool blocks of three, so that a short file crosses both."""
    monkeypatch.setattr(planning, "CHUNK_ROWS", 2)
    monkeypatch.setattr(spool, "BLOCK_ROWS", 3)


def test_reader_reads_shared_and_inline_strings_numbers_dates_and_blank_rows():
    data = xlsx([["Email", "Phone", "Since"], [], ["a@media.example", 32470123456, 45292.0]])
    # Rewrite the file as Excel does: texts in a shared table, a row left out, a date style.
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name).decode() for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(
        '<c r="A1" t="inlineStr"><is><t>Email</t></is></c>', '<c r="A1" t="s"><v>0</v></c>'
    ).replace('<row r="2"/>', "")
    parts["xl/worksheets/sheet1.xml"] = sheet
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><r><t>E</t></r><r><t>mail</t></r><rPh><t>x</t></rPh></si></sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name, body in parts.items():
            target.writestr(name, body)

    with spreadsheet_open(output) as opened:
        rows = list(opened.rows())

    assert [row.cells for row in rows] == [
        ("Email", "Phone", "Since"),
        (),
        ("a@media.example", 32470123456, 45292.0),
    ]


def test_reader_marks_formula_cells_and_keeps_their_saved_value():
    data = xlsx(
        [["Email", "Nom"], ["=LOWER(C2)", "Martin"], ["=LOWER(C3)", "Peeters"]],
        cached={"A2": "anne@media.example"},
    )

    with spreadsheet_open(io.BytesIO(data)) as opened:
        rows = list(opened.rows())

    assert rows[1].cells == ("anne@media.example", "Martin")
    assert rows[1].formulas == (0,)
    assert rows[2].cells == (None, "Peeters")
    assert rows[2].formulas == (0,)


def test_reader_refuses_more_than_max_rows(monkeypatch):
    monkeypatch.setattr("contacts.imports.reading.MAX_ROWS", 3)
    data = b"Email\na@media.example\nb@media.example\nc@media.example\n"

    with pytest.raises(UnreadableSpreadsheet) as raised:
        contacts_import(data=data)

    assert raised.value.code == "too_many_rows"
    assert raised.value.message == (
        "Le fichier compte plus de 3 lignes\u202f; découpez-le en fichiers plus petits."
    )
    assert MAX_ROWS == 200_000
    assert Journalist.objects.count() == 0


def test_import_reports_a_formula_on_its_row_and_uses_its_last_value():
    data = xlsx(
        [["Courriel", "Ville"], ["=LOWER(C2)", "Gent"], ["b@media.example", "=A1"]],
        cached={"A2": "anne@media.example"},
    )

    summary = contacts_import(data=data)

    assert list(Journalist.objects.order_by("email").values_list("email", "city")) == [
        ("anne@media.example", "Gent"),
        ("b@media.example", ""),
    ]
    assert [note.message for note in summary.created[0].notes] == [
        "Ligne 2, colonne «\u202fCourriel\u202f»\u202f: une formule\u202f; sa dernière valeur "
        "calculée, «\u202fanne@media.example\u202f», a été utilisée."
    ]
    assert [note.code for note in summary.created[1].notes] == ["formula_without_value"]
    assert (
        summary.created[1]
        .notes[0]
        .message.startswith(
            "Ligne 3, colonne «\u202fVille\u202f»\u202f: une formule jamais calculée"
        )
    )


def test_import_refuses_an_email_formula_without_value_and_says_why():
    data = xlsx([["Email"], ["=LOWER(B2)"]])

    summary = contacts_import(data=data)

    (refusal,) = summary.refused
    assert (refusal.row, refusal.note.code) == (2, "no_email")
    assert [note.code for note in refusal.also] == ["formula_without_value"]
    assert Journalist.objects.count() == 0


def test_import_merges_duplicates_across_chunks_as_in_one(small_chunks):
    JournalistFactory(email="known@media.example", city="", job_title="Editor")
    rows = (
        "Email,City,Job title,Outlet\n"
        "dup@media.example,,Editor,Radio Une\n"  # row 2
        "a@media.example,Gent,,Radio Une\n"
        "b@media.example,,,\n"
        "known@media.example,Liège,Reporter,\n"  # row 5
        "c@media.example,,,radio une\n"
        "DUP@media.example,Namur,Reporter,\n"  # row 7: merged into row 2
        "d@media.example,,,\n"
        "known@media.example,Mons,,\n"  # row 9: merged into row 5
    )

    preview = contacts_import(data=rows.encode(), dry_run=True, list_name="L")
    applied = contacts_import(data=rows.encode(), list_name="L")

    assert (
        preview.counts()
        == applied.counts()
        == {
            "created": 5,
            "updated": 1,
            "unchanged": 0,
            "refused": 0,
        }
    )
    assert [entry.rows for entry in applied.created] == [[2, 7], [3], [4], [6], [8]]
    assert [note.code for note in applied.created[0].notes] == ["duplicate", "duplicate_conflict"]
    assert [entry.rows for entry in applied.updated] == [[5, 9]]
    assert [note.code for note in applied.updated[0].notes] == [
        "duplicate",
        "duplicate_conflict",
        "conflict",
    ]
    assert dict(Journalist.objects.values_list("email", "city")) == {
        "dup@media.example": "Namur",
        "a@media.example": "Gent",
        "b@media.example": "",
        "known@media.example": "Liège",
        "c@media.example": "",
        "d@media.example": "",
    }
    assert Outlet.objects.filter(name="Radio Une").count() == 1
    assert Journalist.objects.filter(outlet__name="Radio Une").count() == 3
    assert ContactList.objects.get(name="L").journalists.count() == 6
    assert (applied.new_outlet_count, applied.new_outlets) == (1, ["Radio Une"])


def test_import_merges_rows_correctly_when_addresses_share_a_hash(small_chunks, monkeypatch):
    monkeypatch.setattr(planning, "address_hash", lambda email: 7)
    rows = (
        "Email,City\nx@media.example,Gent\ny@media.example,\nz@media.example,Mons\n"
        "y@media.example,Liège\nX@media.example,Namur\n"
    )

    summary = contacts_import(data=rows.encode())

    assert [entry.rows for entry in summary.created] == [[2, 6], [3, 5], [4]]
    assert dict(Journalist.objects.values_list("email", "city")) == {
        "x@media.example": "Gent",
        "y@media.example": "Liège",
        "z@media.example": "Mons",
    }


def test_import_in_chunks_is_all_or_nothing(small_chunks, monkeypatch):
    written = []
    original = planning.ImportPlan._decide

    def decide(self, first, rows):
        if written:
            raise RuntimeError("disk full")
        written.append(first)
        return original(self, first, rows)

    monkeypatch.setattr(planning.ImportPlan, "_decide", decide)

    with pytest.raises(RuntimeError):
        contacts_import(
            data=b"Email,Outlet\na@media.example,New\nb@media.example,\nc@media.example,\n",
            list_name="Fresh",
        )

    assert written == [1]
    assert Journalist.objects.count() == 0
    assert Outlet.objects.count() == 0
    assert ContactList.objects.count() == 0


def test_import_summary_keeps_few_rows_but_counts_all(monkeypatch):
    monkeypatch.setattr(planning, "REPORT_ROWS", 2)
    rows = "Email\n" + "".join(f"n{index}@media.example\n" for index in range(5)) + "bad\n"

    summary = contacts_import(data=rows.encode(), dry_run=True)

    assert summary.counts() == {"created": 5, "updated": 0, "unchanged": 0, "refused": 1}
    assert [entry.email for entry in summary.created] == ["n0@media.example", "n1@media.example"]
    assert [refusal.row for refusal in summary.refused] == [7]


def test_import_header_below_twenty_blank_rows_is_not_called_empty():
    data = ("\n" * 25 + "Email\na@media.example\n").encode()

    with pytest.raises(UnreadableSpreadsheet) as raised:
        contacts_import(data=data)

    assert raised.value.code == "no_email_column"


def test_reader_refuses_a_workbook_whose_shared_strings_are_damaged():
    data = xlsx([["Email"], ["a@media.example"]])
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = b"<sst><si><t>broken"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name, body in parts.items():
            target.writestr(name, body)

    with pytest.raises(UnreadableSpreadsheet) as raised:
        contacts_import(data=output.getvalue())

    assert raised.value.code == "corrupt"
    assert Journalist.objects.count() == 0


def test_spreadsheet_read_gives_the_rows_of_a_small_file():
    assert spreadsheet_read(b"Email;Ville\r\na@media.example;Li\xe8ge\r\n") == [
        ("Email", "Ville"),
        ("a@media.example", "Liège"),
    ]
