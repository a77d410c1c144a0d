"""Reading a spreadsheet someone else made, row by row, without holding it in memory.

xlsx (the first sheet) and csv (UTF-8 with or without BOM, or Windows-1252; comma,
semicolon or tab separated). `spreadsheet_open` looks at what the file is and returns a
Spreadsheet whose rows() may be read more than once; anything else raises
UnreadableSpreadsheet with a message for the person who uploaded it.

An xlsx sheet is parsed as a stream, row by row. Its shared-strings table (Excel keeps
every text of the file there) goes to a temporary file with an array of offsets, rather
than a Python string each in memory: for 100,000 rows 1 MB instead of 43 MB.
A cell that holds a formula gives the value the spreadsheet program last saved with it
(None when it was never calculated), and its position is listed in SheetRow.formulas so
that the import can say so on the row.
"""

import codecs
import contextlib
import csv
import functools
import io
import os
import re
import tempfile
import warnings
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from typing import IO, Any, NamedTuple, Self

from django.utils.translation import gettext as _
from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from press.core.errors import PresseError

ZIP_MAGIC = b"PK\x03\x04"
# Encrypted xlsx files and old .xls workbooks are OLE compound documents.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ROWS = 200_000
# All the texts of a workbook together; more is a file built to exhaust memory.
MAX_SHARED_TEXT = 512 * 2**20
# Shared texts kept in memory once read (Excel repeats outlet names, job titles…).
STRINGS_CACHED = 4096
# Excel's own limit; a cell reference beyond it is a damaged file.
MAX_COLUMNS = 16_384

_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _STRING_ITEM, _TEXT, _RUN = (
    f"{{{SHEET_MAIN_NS}}}{name}" for name in ("row", "c", "v", "f", "is", "si", "t", "r")
)
# OOXML writes characters XML cannot hold (and a literal "_x" sequence) as _xHHHH_.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class UnreadableSpreadsheet(PresseError):
    """The file cannot be read as a spreadsheet; `message` says why, for its uploader."""


class SheetRow(NamedTuple):
    cells: tuple[Any, ...]
    # Positions of the cells that held a formula; their value is the last one saved.
    formulas: tuple[int, ...] = ()


_BLANK_ROW = SheetRow(())


def _corrupt() -> UnreadableSpreadsheet:
    return UnreadableSpreadsheet("corrupt", _("This workbook cannot be read (it is damaged)."))


def _too_many_rows() -> UnreadableSpreadsheet:
    return UnreadableSpreadsheet(
        "too_many_rows",
        _("The file has more than %(count)s rows; split it into smaller files.")
        % {"count": f"{MAX_ROWS:,}".replace(",", "\u202f")},
    )


class Spreadsheet:
    """An opened spreadsheet: rows() reads its first sheet from the top, each time."""

    def rows(self) -> Iterator[SheetRow]:
        """Every row, blank ones included, so that position + 1 is the row number people
        see. Raises UnreadableSpreadsheet (damaged part, more than MAX_ROWS rows)."""
        for count, row in enumerate(self._rows(), start=1):
            if count > MAX_ROWS:
                raise _too_many_rows()
            yield row

    def _rows(self) -> Iterator[SheetRow]:
        raise NotImplementedError

    def close(self) -> None:
        """Nothing to release by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def spreadsheet_kind(head: bytes) -> str:
    """ "xlsx" or "csv", from the first 4 KB of a file; raises UnreadableSpreadsheet for an
    empty, protected, old-format (.xls) or binary file. Cheap enough for a web request."""
    if not head.strip():
        raise UnreadableSpreadsheet("empty", _("The file is empty."))
    if head.startswith(OLE_MAGIC):
        raise UnreadableSpreadsheet(
            "protected_or_xls",
            _(
                "This file is password-protected or an old Excel 97–2003 (.xls) workbook. "
                "Remove the password and save it as .xlsx or .csv."
            ),
        )
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if b"\x00" in head:
        raise UnreadableSpreadsheet(
            "not_spreadsheet", _("This file is not a spreadsheet: upload an .xlsx or .csv file.")
        )
    return "csv"


def spreadsheet_open(file: IO[bytes]) -> Spreadsheet:
    """The spreadsheet in this seekable binary file (left open: its owner closes it).
    Raises UnreadableSpreadsheet (see spreadsheet_kind; also a damaged workbook)."""
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    return _Workbook(file) if spreadsheet_kind(head) == "xlsx" else _Csv(file)


def spreadsheet_read(data: bytes) -> list[tuple[Any, ...]]:
    """All rows of a small file held in memory, as tuples of cell values. Large files are
    read with spreadsheet_open, a row at a time."""
    with spreadsheet_open(io.BytesIO(data)) as sheet:
        return [row.cells for row in sheet.rows()]


# xlsx -------------------------------------------------------------------------------


class _SharedStrings:
    """The shared-strings table kept in a temporary file, UTF-8 texts one after the
    other, with the offset where each ends (4 bytes a text in memory); the texts read
    most often stay in a small cache."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._ends = array("I")  # the table is capped below 4 GB
        self._size = 0
        self._read = functools.lru_cache(maxsize=STRINGS_CACHED)(self._read_text)

    @classmethod
    def parse(cls, source: IO[bytes]) -> "_SharedStrings":
        table = cls()
        try:
            table._fill(source)
        except BaseException:
            table.close()
            raise
        return table

    def _fill(self, source: IO[bytes]) -> None:
        for _event, item in etree.iterparse(
            source, tag=_STRING_ITEM, resolve_entities=False, no_network=True
        ):
            data = _text_of(item).encode()
            self._size += len(data)
            if self._size > MAX_SHARED_TEXT:
                raise _corrupt()
            self._file.write(data)
            self._ends.append(self._size)
            item.clear()
            while item.getprevious() is not None:
                del item.getparent()[0]
        self._file.flush()

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        return self._read(index)

    def _read_text(self, index: int) -> str:
        start = self._ends[index - 1] if index > 0 else 0
        return os.pread(self._file.fileno(), self._ends[index] - start, start).decode()

    def close(self) -> None:
        self._read.cache_clear()
        self._file.close()


def _text_of(element: Any) -> str:
    """The plain text of a string item or an inline string: its <t>, or its runs' <t>
    (phonetic guides left out)."""
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(run.text or "" for run in child if run.tag == _TEXT)
    text = "".join(parts)
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text) if "_x" in text else text


class _Reader(ExcelReader):
    """openpyxl's reader for the parts of a workbook that say where its first sheet is and
    which styles are dates, with a compact shared-strings table. (Its read() would also
    build a worksheet object, which parses the whole sheet once to learn its size when the
    file does not state it.)"""

    def open_first_sheet(self) -> str | None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)
        for _sheet, relation in self.parser.find_sheets():
            if relation.target in self.valid_files and "chartsheet" not in relation.Type:
                return str(relation.target)
        return None

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            self.shared_strings = _SharedStrings()
            return
        with self.archive.open(part.PartName[1:]) as source:
            self.shared_strings = _SharedStrings.parse(source)


def _column(reference: str) -> int:
    """'AB12' -> 28; 0 when the reference has no column letters."""
    number = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        number = number * 26 + ord(letter) - 64
    return number


def _number(text: str) -> int | float | str:
    try:
        return float(text) if any(mark in text for mark in ".eE") else int(text)
    except ValueError:
        return text


class _Workbook(Spreadsheet):
    def __init__(self, file: IO[bytes]):
        reader = None
        try:
            with warnings.catch_warnings():
                # openpyxl's notes about parts it drops (data validation, styles) are not
                # for the person importing contacts.
                warnings.simplefilter("ignore")
                reader = _Reader(file, read_only=True, data_only=True, keep_links=False)
                path = reader.open_first_sheet()
        except BaseException as error:
            if reader is not None:
                if isinstance(reader.shared_strings, _SharedStrings):
                    reader.shared_strings.close()
                reader.archive.close()
            if isinstance(error, UnreadableSpreadsheet):
                raise
            if isinstance(
                error,
                zipfile.BadZipFile
                | InvalidFileException
                | etree.XMLSyntaxError
                | zlib.error
                | KeyError
                | OSError
                | ValueError,
            ):
                raise UnreadableSpreadsheet(
                    "corrupt",
                    _("This workbook cannot be read (it is damaged or not an .xlsx file)."),
                ) from error
            raise
        self._archive = reader.archive
        if path is None:
            self.close()
            raise UnreadableSpreadsheet("empty", _("The workbook has no sheet."))
        self._path = path
        workbook = reader.wb
        self._strings: _SharedStrings = reader.shared_strings
        self._epoch = workbook.epoch
        self._dates: set[int] = set(workbook._date_formats)
        self._durations: set[int] = set(workbook._timedelta_formats)

    def close(self) -> None:
        self._archive.close()
        self._strings.close()

    def _rows(self) -> Iterator[SheetRow]:
        try:
            with self._archive.open(self._path) as source:
                expected = 1
                for _event, element in etree.iterparse(
                    source, tag=_ROW, resolve_entities=False, no_network=True
                ):
                    number = int(element.get("r") or expected)
                    # Rows without cells are left out of the file: they are blank rows.
                    while expected < number:
                        yield _BLANK_ROW
                        expected += 1
                    yield self._row(element)
                    expected = number + 1
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except (
            etree.XMLSyntaxError,
            zipfile.BadZipFile,
            zlib.error,
            KeyError,
            OSError,
            ValueError,
            IndexError,
        ) as error:
            raise _corrupt() from error

    def _row(self, element: Any) -> SheetRow:
        cells: list[Any] = []
        formulas: list[int] = []
        column = 0
        for cell in element:
            if cell.tag != _CELL:
                continue
            column = _column(cell.get("r") or "") or column + 1
            if column > MAX_COLUMNS:
                raise _corrupt()
            value, formula = self._value(cell)
            cells.extend([None] * (column - 1 - len(cells)))
            cells.append(value)
            if formula:
                formulas.append(column - 1)
        return SheetRow(tuple(cells), tuple(formulas))

    def _value(self, cell: Any) -> tuple[Any, bool]:
        kind = cell.get("t", "n")
        text = inline = None
        formula = False
        for child in cell:
            if child.tag == _VALUE:
                text = child.text
            elif child.tag == _FORMULA:
                formula = True
            elif child.tag == _INLINE:
                inline = _text_of(child)
        if kind == "inlineStr":
            return inline, formula
        if not text:
            return None, formula
        if kind == "s":
            return self._strings[int(text)], formula
        if kind == "b":
            return text.strip() == "1", formula
        if kind == "d":
            try:
                return from_ISO8601(text), formula
            except ValueError:
                return text, formula
        if kind != "n":  # "str" (a formula's text), "e" (an error such as #N/A)
            return text, formula
        number = _number(text)
        style = int(cell.get("s") or 0)
        if style in self._dates and not isinstance(number, str):
            with contextlib.suppress(OverflowError, ValueError):
                return from_excel(number, self._epoch, timedelta=style in self._durations), formula
        return number, formula


# csv --------------------------------------------------------------------------------


class _Csv(Spreadsheet):
    def __init__(self, file: IO[bytes]):
        self._file = file
        self._encoding = _encoding(file)
        self._delimiter = _delimiter(file, self._encoding)

    def _rows(self) -> Iterator[SheetRow]:
        self._file.seek(0)
        text = io.TextIOWrapper(self._file, encoding=self._encoding, newline="")
        try:
            for row in csv.reader(text, delimiter=self._delimiter):
                yield SheetRow(tuple(row))
        except csv.Error as error:
            raise UnreadableSpreadsheet(
                "corrupt", _("This CSV file cannot be read: %(error)s") % {"error": error}
            ) from error
        finally:
            # The file belongs to the caller: do not let the wrapper close it.
            text.detach()


def _encoding(file: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes so, else Windows-1252;
    Latin-1 for a file using the five bytes Windows-1252 leaves undefined."""
    for encoding in ("utf-8-sig", "cp1252"):
        file.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while block := file.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def _delimiter(file: IO[bytes], encoding: str) -> str:
    file.seek(0)
    head = file.read(1 << 16).decode(encoding, errors="ignore")
    sample = [line for line in head.splitlines()[:30] if line.strip()]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
