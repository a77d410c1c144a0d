"""Reading a spreadsheet someone else made into rows of cell values.

xlsx (the first sheet) and csv (UTF-8 with or without BOM, or Windows-1252; comma,
semicolon or tab separated). Anything else raises UnreadableSpreadsheet with a
message for the person who uploaded it.
"""

import contextlib
import csv
import io
import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

ZIP_MAGIC = b"PK\x03\x04"
# Encrypted xlsx files and old .xls workbooks are OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ROWS = 200_000


class UnreadableSpreadsheet(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def spreadsheet_read(data: bytes) -> list[tuple]:
    """All rows of the file's first sheet, as tuples of cell values (str, numbers,
    dates or None). Raises UnreadableSpreadsheet."""
    if not data.strip():
        raise UnreadableSpreadsheet("empty", _("The file is empty."))
    if data.startswith(OLE_MAGIC):
        raise UnreadableSpreadsheet(
            "protected_or_xls",
            _(
                "This file is password-protected or an old Excel 97–2003 (.xls) workbook. "
                "Remove the password and save it as .xlsx or .csv."
            ),
        )
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise UnreadableSpreadsheet(
            "not_spreadsheet", _("This file is not a spreadsheet: upload an .xlsx or .csv file.")
        )
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[tuple]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise UnreadableSpreadsheet(
            "corrupt",
            _("This workbook cannot be read (it is damaged or not an .xlsx file)."),
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise UnreadableSpreadsheet("empty", _("The workbook has no sheet."))
        # Some programs write a wrong size into the file; read what is really there.
        sheet.reset_dimensions()
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableSpreadsheet(
            "corrupt", _("This workbook cannot be read (it is damaged).")
        ) from error
    finally:
        workbook.close()
    return rows


def _too_many_rows() -> "UnreadableSpreadsheet":
    return UnreadableSpreadsheet(
        "too_many_rows",
        _("The file has more than %(count)s rows; split it into smaller files.")
        % {"count": f"{MAX_ROWS:,}".replace(",", " ")},
    )


def _decode(data: bytes) -> str:
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined: read them as Latin-1 rather than fail.
        return data.decode("latin-1")


def _delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:30] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> list[tuple]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = []
    try:
        for row in reader:
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
    except csv.Error as error:
        raise UnreadableSpreadsheet(
            "corrupt", _("This CSV file cannot be read: %(error)s") % {"error": error}
        ) from error
    return rows
