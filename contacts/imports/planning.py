"""From spreadsheet rows to an import plan: what will be created, updated, left
unchanged or refused, and why. Planning only reads the database; applying.py writes.

A file of any size is decided in chunks of CHUNK_ROWS rows, so that memory does not grow
with the file: import_plan reads it once into a spool on local disk, finds the header
and the addresses that appear on more than one row; ImportPlan.chunks() then decides the
rows a chunk at a time. The rows of one address are merged into the entry of its first
row, wherever they stand in the file, so a chunk's decisions never depend on a later
chunk's, and a preview (which writes nothing) says exactly what applying would do.
"""

import datetime as dt
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Field
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.cleaning import (
    country_normalise,
    email_is_valid,
    email_normalise,
    language_index,
    language_normalise,
    text_fold,
)
from contacts.enums import OutletKind, SuppressionReason
from contacts.imports.columns import (
    HEADER_SEARCH_ROWS,
    Columns,
    header_of,
    no_header_error,
    row_has_data,
)
from contacts.imports.reading import SheetRow, Spreadsheet
from contacts.imports.spool import RowSpool
from contacts.models import ContactList, Journalist, Outlet, email_digest
from contacts.suppression import suppression_reasons
from press.core.phones import phone_e164
from press.core.text import code_point, invisible_character

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
LOOKUP_CHUNK = 2000
# Rows decided (and, when applying, written) together.
CHUNK_ROWS = 2000
# How often reading the file says how far it got.
READ_PROGRESS_EVERY = 5000
# How many rows of each kind (and new outlets) a summary keeps for its report; its
# counts are always complete.
REPORT_ROWS = 300
REPORT_OUTLETS = 50
# Journalist fields filled from text columns, and how long they may be.
TEXT_FIELDS = ("first_name", "last_name", "job_title", "beats", "city", "notes")
# Columns that may hold several lines; every other one is one-line text.
MULTILINE_FIELDS = {"notes"}


@dataclass
class Note:
    code: str
    message: str


@dataclass
class Entry:
    """One journalist of the file: its rows merged by email."""

    email: str
    rows: list[int]
    values: dict
    notes: list[Note] = field(default_factory=list)
    action: str = ""
    journalist: Journalist | None = None
    fill: dict = field(default_factory=dict)
    joins_list: bool = False

    @property
    def row(self) -> int:
        return self.rows[0]

    @property
    def filled_fields(self) -> list[str]:
        return [_field_label(name) for name in self.fill]


@dataclass
class Refusal:
    row: int
    email: str
    note: Note
    # What else the row says, such as a formula in its email cell.
    also: list[Note] = field(default_factory=list)


@dataclass
class PlanChunk:
    """The decisions for one chunk of rows: its entries in the order of their first row,
    its refused rows in row order, and the outlets it names for the first time."""

    entries: list[Entry]
    refused: list[Refusal]
    blank_rows: int
    new_outlets: list[Outlet]
    outlets: dict[str, Outlet]  # every outlet the import named so far, by folded name
    rows_done: int  # data rows of the file decided so far, this chunk's included

    def with_action(self, action: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.action == action]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _field(name: str) -> Field[Any, Any]:
    field = Journalist._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _field_label(name: str) -> str:
    return str(_field(name).verbose_name)


def _outlet_kinds() -> dict[str, str]:
    """Folded codes and English and French labels of outlet kinds -> kind."""
    kinds = {kind.value: kind.value for kind in OutletKind}
    for language in ("en", "fr"):
        with translation.override(language):
            kinds.update({text_fold(str(kind.label)): kind.value for kind in OutletKind})
    return kinds


def _outlet_kind(text: str, kinds: dict[str, str]) -> str:
    return kinds.get(text_fold(text), OutletKind.OTHER)


def _row_values(
    row: tuple, columns: Columns, kinds: dict, languages: dict
) -> tuple[dict, list[Note]]:
    """Clean the cells of one row into journalist values, with warnings."""

    def cell(name: str) -> object:
        position = columns.fields.get(name)
        if position is None or position >= len(row):
            return None
        return row[position]

    values, notes = {}, []
    for name in TEXT_FIELDS:
        text = _text(cell(name))
        if text:
            limit = _field(name).max_length
            if limit and len(text) > limit:
                notes.append(
                    Note(
                        "too_long",
                        _("%(field)s cut to %(limit)s characters.")
                        % {"field": _field_label(name).capitalize(), "limit": limit},
                    )
                )
                text = text[:limit]
            values[name] = text
    full_name = _text(cell("full_name"))
    if full_name and "first_name" not in values and "last_name" not in values:
        first, _space, last = full_name.partition(" ")
        values.update({"first_name": first[:100], "last_name": last[:100]})
        values = {key: value for key, value in values.items() if value}
    country_text = _text(cell("country"))
    if country_text:
        code = country_normalise(country_text)
        if code:
            values["country"] = code
        else:
            notes.append(
                Note(
                    "unknown_country",
                    _("Country “%(value)s” not recognised; left empty.") % {"value": country_text},
                )
            )
    language_text = _text(cell("language"))
    if language_text:
        code, understood = language_normalise(language_text, index=languages)
        values["language"] = code
        if not understood:
            default_name = dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]
            notes.append(
                Note(
                    "unknown_language",
                    _(
                        "Language “%(value)s” is not one of the site's languages; "
                        "imported with the default language (%(default)s)."
                    )
                    % {"value": language_text, "default": default_name},
                )
            )
    phone_cell = cell("phone")
    phone = phone_e164(phone_cell, country=values.get("country", ""))
    if phone:
        values["phone"] = phone
    elif phone is None:
        # Never kept as typed: a number nobody can dial is worse than none.
        notes.append(
            Note(
                "invalid_phone",
                _("Phone “%(value)s” is not a valid number; left empty.")
                % {"value": _text(phone_cell)},
            )
        )
    outlet = _text(cell("outlet"))
    if outlet:
        values["outlet"] = outlet[:200]
        kind = _text(cell("outlet_kind"))
        if kind:
            values["outlet_kind"] = _outlet_kind(kind, kinds)
    return values, notes


def _shown(name: str, value: object) -> str:
    """A value as a press officer reads it in a report: country and language names."""
    if name == "country" and value:
        return str(countries.name(str(value))) or str(value)
    if name == "language" and value:
        return str(dict(settings.LANGUAGES).get(str(value), value))
    return str(value)


def _same(a: object, b: object) -> bool:
    return text_fold(str(a)) == text_fold(str(b))


def _merge(entry: Entry, values: dict, row_number: int) -> None:
    entry.notes.append(
        Note(
            "duplicate",
            _("Row %(row)s has the same address; merged into row %(first)s.")
            % {"row": row_number, "first": entry.row},
        )
    )
    entry.rows.append(row_number)
    for name, value in values.items():
        kept = entry.values.get(name)
        if kept is None:
            entry.values[name] = value
        elif not _same(kept, value) and name != "outlet_kind":
            entry.notes.append(
                Note(
                    "duplicate_conflict",
                    _("Row %(row)s: %(field)s “%(value)s” ignored, “%(kept)s” kept.")
                    % {
                        "row": row_number,
                        "field": _field_label(name),
                        "value": _shown(name, value),
                        "kept": _shown(name, kept),
                    },
                )
            )


def _chunks(items: list[Any], size: int = LOOKUP_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_journalists(emails: list[str]) -> dict[str, Journalist]:
    found: dict[str, Journalist] = {}
    for chunk in _chunks(emails):
        for journalist in (
            Journalist.objects.annotate(email_ci=Lower("email"))
            .filter(email_ci__in=chunk)
            .select_related("outlet")
        ):
            found[journalist.email_ci] = journalist
    return found


def _outlets(entries: list[Entry], known_outlets: dict[str, Outlet]) -> list[Outlet]:
    """Resolve the outlets these entries name into `known_outlets` (by folded name):
    an existing outlet (preferring one in the row's country), or a new unsaved one for a
    name the file introduces, which is returned."""
    wanted: dict[str, Entry] = {}
    for entry in entries:
        name = entry.values.get("outlet")
        if name and name.lower() not in known_outlets:
            wanted.setdefault(name.lower(), entry)
    known: dict[str, list[Outlet]] = {}
    for chunk in _chunks(list(wanted)):
        for outlet in Outlet.objects.annotate(name_ci=Lower("name")).filter(name_ci__in=chunk):
            known.setdefault(outlet.name_ci, []).append(outlet)
    new: list[Outlet] = []
    for name_ci, entry in wanted.items():
        candidates = known.get(name_ci)
        if candidates:
            country = entry.values.get("country", "")
            same_country = [o for o in candidates if str(o.country or "") == country]
            known_outlets[name_ci] = (same_country or candidates)[0]
        else:
            new_outlet = Outlet(
                name=entry.values["outlet"],
                country=entry.values.get("country", ""),
                city=entry.values.get("city", ""),
                kind=entry.values.get("outlet_kind", OutletKind.OTHER),
            )
            known_outlets[name_ci] = new_outlet
            new.append(new_outlet)
    return new


def _current(journalist: Journalist, name: str) -> object:
    if name == "outlet":
        return journalist.outlet
    if name == "country":
        return str(journalist.country or "")
    return getattr(journalist, name)


def _compare(entry: Entry, journalist: Journalist, outlets: dict[str, Outlet]) -> None:
    """Fill the journalist's empty fields; report differing ones, never overwrite."""
    for name, value in entry.values.items():
        if name == "outlet_kind":
            continue
        if name == "outlet":
            value = outlets[value.lower()]
        current = _current(journalist, name)
        if current in (None, ""):
            entry.fill[name] = value
            continue
        if name == "outlet":
            differs = getattr(current, "pk", None) != getattr(value, "pk", None)
        else:
            differs = not _same(current, value)
        if differs:
            entry.notes.append(
                Note(
                    "conflict",
                    _("%(field)s differs: the file says “%(value)s”, kept “%(current)s”.")
                    % {
                        "field": _field_label(name).capitalize(),
                        "value": _shown(name, value),
                        "current": _shown(name, current),
                    },
                )
            )


def _suppression_label(reason: str) -> str:
    return str(SuppressionReason(reason).label).lower() if reason else ""


def _email_of(cells: tuple, column: int) -> tuple[str, str]:
    """The email cell as written, and normalised ('' when empty)."""
    raw = _text(cells[column]) if column < len(cells) else ""
    return raw, email_normalise(raw)


NO_ADDRESS = -1  # in the census: a row without an email (hash() never gives -1)


def address_hash(email: str) -> int:
    """What the census keeps of an address: 8 bytes. Two addresses may share one; the
    rows it groups are compared by address before they are merged."""
    return hash(email)


class ImportPlan:
    """What importing a spreadsheet would do, decided a chunk at a time by chunks()
    (once). Made by import_plan; close it (or use it in a with block) to drop its spool.
    A list to join that does not exist yet is created by import_apply."""

    def __init__(
        self,
        *,
        spool: RowSpool,
        columns: Columns,
        repeated: dict[int, list[int]],
        list_name: str,
        contact_list: ContactList | None,
    ):
        self.columns = columns
        self.list_name = contact_list.name if contact_list else list_name
        self.contact_list = contact_list
        self.rows_total = spool.count - columns.header_row
        self.outlets: dict[str, Outlet] = {}  # every outlet named so far, by folded name
        self._spool = spool
        self._repeated = repeated  # hash of an address on several rows -> their positions
        self._merged: set[int] = set()  # later rows already merged into an earlier entry
        self._kinds = _outlet_kinds()
        self._languages = language_index()
        self._decided = False

    def __enter__(self) -> "ImportPlan":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._spool.close()

    def chunks(self) -> Iterator[PlanChunk]:
        if self._decided:
            raise RuntimeError("an import plan is decided once")
        self._decided = True
        start, stop = self.columns.header_row, self._spool.count
        for first in range(start, stop, CHUNK_ROWS):
            last = min(first + CHUNK_ROWS, stop)
            chunk = self._decide(first, self._spool.slice(first, last))
            chunk.rows_done = last - start
            yield chunk

    # One chunk ----------------------------------------------------------------------

    def _invisible_character_note(self, row: SheetRow, position: int) -> Note | None:
        """A one-line cell holding an invisible character: the row is refused."""
        for name, column in self.columns.fields.items():
            if name in MULTILINE_FIELDS or column >= len(row.cells):
                continue
            character = invisible_character(_text(row.cells[column]))
            if character is not None:
                message = _(
                    "Row %(row)s, column “%(column)s”: contains an invisible character "
                    "(%(code)s); the row is not imported."
                )
                where = {
                    "row": position + 1,
                    "column": self.columns.headers.get(column, name),
                    "code": code_point(character),
                }
                return Note("invisible_character", message % where)
        return None

    def _formula_notes(self, row: SheetRow, position: int) -> list[Note]:
        notes = []
        for column in row.formulas:
            header = self.columns.headers.get(column)
            if header is None:
                continue  # a column the import does not read
            value = _text(row.cells[column]) if column < len(row.cells) else ""
            where = {"row": position + 1, "column": header, "value": value}
            if value:
                message = _(
                    "Row %(row)s, column “%(column)s”: a formula; its last calculated value "
                    "“%(value)s” was used."
                )
                notes.append(Note("formula", message % where))
            else:
                message = _(
                    "Row %(row)s, column “%(column)s”: a formula that was never calculated, "
                    "so the cell is empty; type the value itself or save the file in a "
                    "spreadsheet program."
                )
                notes.append(Note("formula_without_value", message % where))
        return notes

    def _values(self, row: SheetRow, position: int) -> tuple[dict, list[Note]]:
        values, notes = _row_values(row.cells, self.columns, self._kinds, self._languages)
        return values, self._formula_notes(row, position) + notes

    def _parse(self, first: int, rows: list[SheetRow]) -> tuple[list[Entry], list[Refusal], int]:
        entries: dict[str, Entry] = {}
        refused: list[Refusal] = []
        blank_rows = 0
        email_column = self.columns.fields["email"]
        end = first + len(rows)
        beyond: dict[str, list[int]] = {}  # address -> its rows in later chunks
        for offset, row in enumerate(rows):
            position = first + offset
            if position in self._merged:
                self._merged.discard(position)
                continue
            formulas = self._formula_notes(row, position)
            if not formulas and not any(_text(value) for value in row.cells):
                blank_rows += 1
                continue
            raw_email, email = _email_of(row.cells, email_column)
            invisible = self._invisible_character_note(row, position)
            if invisible is not None:
                refused.append(Refusal(position + 1, raw_email, invisible, formulas))
                continue
            if not email or not email_is_valid(email):
                note = (
                    Note("no_email", _("No email address."))
                    if not email
                    else Note(
                        "invalid_email",
                        _("“%(value)s” is not a valid email address.") % {"value": raw_email},
                    )
                )
                refused.append(Refusal(position + 1, raw_email, note, formulas))
                continue
            values, notes = _row_values(row.cells, self.columns, self._kinds, self._languages)
            notes = formulas + notes
            if email in entries:
                entries[email].notes.extend(notes)
                _merge(entries[email], values, position + 1)
                continue
            entries[email] = Entry(email=email, rows=[position + 1], values=values, notes=notes)
            later = [other for other in self._repeated.get(address_hash(email), ()) if other >= end]
            if later:
                beyond[email] = later
        if beyond:
            fetched = self._spool.fetch(other for later in beyond.values() for other in later)
            for email, later in beyond.items():
                for other in later:
                    row = fetched[other]
                    if _email_of(row.cells, email_column)[1] != email:
                        continue  # another address with the same hash: decided where it is
                    if self._invisible_character_note(row, other) is not None:
                        continue  # refused in its own chunk, merged into nothing
                    values, notes = self._values(row, other)
                    entries[email].notes.extend(notes)
                    _merge(entries[email], values, other + 1)
                    self._merged.add(other)
        return list(entries.values()), refused, blank_rows

    def _decide(self, first: int, rows: list[SheetRow]) -> PlanChunk:
        entries, refused, blank_rows = self._parse(first, rows)
        emails = [entry.email for entry in entries]
        existing = _existing_journalists(emails)
        suppressed = suppression_reasons([email for email in emails if email not in existing])
        new_outlets = _outlets(entries, self.outlets)
        members: set[int] = set()
        if self.contact_list is not None and self.contact_list.pk:
            ids = [journalist.pk for journalist in existing.values()]
            for chunk in _chunks(ids):
                members.update(
                    Journalist.lists.through.objects.filter(
                        contactlist=self.contact_list, journalist_id__in=chunk
                    ).values_list("journalist_id", flat=True)
                )
        wants_list = bool(self.list_name or self.contact_list)
        kept = []
        for entry in entries:
            journalist = existing.get(entry.email)
            if journalist is None:
                reason = suppressed.get(email_digest(entry.email))
                if reason is not None:
                    note = Note(
                        "suppressed_address",
                        _(
                            "This address is on the suppression list (%(reason)s); "
                            "it is not imported again."
                        )
                        % {"reason": _suppression_label(reason)},
                    )
                    formulas = [n for n in entry.notes if n.code in FORMULA_NOTES]
                    refused.append(Refusal(entry.row, entry.email, note, formulas))
                    continue
                entry.action = CREATED
                entry.joins_list = wants_list
                kept.append(entry)
                continue
            entry.journalist = journalist
            _compare(entry, journalist, self.outlets)
            entry.joins_list = wants_list and journalist.pk not in members
            if journalist.is_suppressed:
                entry.notes.append(
                    Note(
                        "stays_suppressed",
                        _("Not mailed: %(reason)s, and stays so.")
                        % {"reason": _suppression_label(journalist.suppression_reason)},
                    )
                )
            entry.action = UPDATED if entry.fill or entry.joins_list else UNCHANGED
            kept.append(entry)
        refused.sort(key=lambda refusal: refusal.row)
        return PlanChunk(
            entries=kept,
            refused=refused,
            blank_rows=blank_rows,
            new_outlets=new_outlets,
            outlets=self.outlets,
            rows_done=0,
        )


FORMULA_NOTES = {"formula", "formula_without_value"}


CENSUS_BUCKETS = 16


def _repeated_hashes(hashes: array) -> set[int]:
    """The hashes found more than once, looked for in sixteen slices of the hash space
    so that only a sixteenth of them is ever held in a set."""
    twice: set[int] = set()
    for bucket in range(CENSUS_BUCKETS):
        seen: set[int] = set()
        for value in hashes:
            if value % CENSUS_BUCKETS == bucket and value != NO_ADDRESS:
                if value in seen:
                    twice.add(value)
                else:
                    seen.add(value)
    return twice


def _census(
    sheet: Spreadsheet, spool: RowSpool, progress: Callable[[int], None] | None
) -> tuple[Columns, dict[int, list[int]]]:
    """Read every row into the spool, find the header, and return it with the positions
    of the rows whose address appears more than once (by hash of the address)."""
    columns: Columns | None = None
    has_data = False
    hashes = array("q")  # one per row below the header: 8 bytes a row
    for position, row in enumerate(sheet.rows()):
        spool.append(row)
        if progress and position % READ_PROGRESS_EVERY == 0 and position:
            progress(position)
        if columns is not None:
            email = _email_of(row.cells, columns.fields["email"])[1]
            hashes.append(address_hash(email) if email else NO_ADDRESS)
            continue
        has_data = has_data or row_has_data(row.cells)
        if position < HEADER_SEARCH_ROWS:
            columns = header_of(row.cells, row_number=position + 1)
        elif has_data:
            raise no_header_error(has_data=True)
    if columns is None:
        raise no_header_error(has_data=has_data)
    if progress:
        progress(spool.count)
    twice = _repeated_hashes(hashes)
    repeated: dict[int, list[int]] = {}
    for offset, value in enumerate(hashes):
        if value in twice:
            repeated.setdefault(value, []).append(columns.header_row + offset)
    return columns, repeated


def import_plan(
    *,
    sheet: Spreadsheet,
    list_name: str = "",
    contact_list: ContactList | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Read the spreadsheet once and prepare deciding it: nothing is written, and the
    rows are decided by the plan's chunks() (see import_preview and import_apply).
    `progress(rows_read)` hears how far reading got. Raises UnreadableSpreadsheet for a
    damaged file or one without a header row naming an email column."""
    spool = RowSpool()
    try:
        columns, repeated = _census(sheet, spool, progress)
    except BaseException:
        spool.close()
        raise
    if contact_list is None and list_name:
        contact_list = ContactList.objects.filter(name__iexact=list_name).first()
    return ImportPlan(
        spool=spool,
        columns=columns,
        repeated=repeated,
        list_name=list_name,
        contact_list=contact_list,
    )


class ImportSummary:
    """What an import did, or would do, added up chunk by chunk: complete counts, and
    the first `limit` rows of each kind (and new outlets) with their notes."""

    def __init__(self, plan: ImportPlan, *, limit: int | None = None):
        self.plan = plan
        self.limit = REPORT_ROWS if limit is None else limit
        self.blank_rows = 0
        self.new_outlet_count = 0
        self.new_outlets: list[str] = []
        self.refused: list[Refusal] = []
        self.created: list[Entry] = []
        self.updated: list[Entry] = []
        self.unchanged: list[Entry] = []
        self._counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0, REFUSED: 0}

    @property
    def columns(self) -> Columns:
        return self.plan.columns

    @property
    def list_name(self) -> str:
        return self.plan.list_name

    @property
    def contact_list(self) -> ContactList | None:
        return self.plan.contact_list

    def add(self, chunk: PlanChunk) -> None:
        self.blank_rows += chunk.blank_rows
        self.new_outlet_count += len(chunk.new_outlets)
        room = REPORT_OUTLETS - len(self.new_outlets)
        self.new_outlets.extend(outlet.name for outlet in chunk.new_outlets[:room])
        self._counts[REFUSED] += len(chunk.refused)
        self.refused.extend(chunk.refused[: self.limit - len(self.refused)])
        for action, kept in (
            (CREATED, self.created),
            (UPDATED, self.updated),
            (UNCHANGED, self.unchanged),
        ):
            entries = chunk.with_action(action)
            self._counts[action] += len(entries)
            kept.extend(entries[: self.limit - len(kept)])

    def counts(self) -> dict[str, int]:
        return dict(self._counts)


def import_preview(
    *,
    plan: ImportPlan,
    progress: Callable[[int, int], None] | None = None,
    listen: Callable[[PlanChunk], None] | None = None,
) -> ImportSummary:
    """Decide every chunk of the plan without writing anything: what applying it now
    would do. `progress(rows_done, rows_total)` hears about each chunk, `listen(chunk)`
    gets its decisions."""
    summary = ImportSummary(plan)
    for chunk in plan.chunks():
        summary.add(chunk)
        if listen:
            listen(chunk)
        if progress:
            progress(chunk.rows_done, plan.rows_total)
    return summary
