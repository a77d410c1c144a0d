"""From spreadsheet rows to an import plan: what will be created, updated, left
unchanged or refused, and why. Planning only reads the database; applying.py writes.
"""

import datetime as dt
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
from contacts.imports.columns import Columns, columns_find
from contacts.models import ContactList, Journalist, Outlet, email_digest
from contacts.phones import phone_normalise
from contacts.suppression import suppression_reasons

CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"
LOOKUP_CHUNK = 2000
# Journalist fields filled from text columns, and how long they may be.
TEXT_FIELDS = ("first_name", "last_name", "job_title", "beats", "city", "notes")


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


@dataclass
class ImportPlan:
    columns: Columns
    entries: list[Entry]
    refused: list[Refusal]
    blank_rows: int
    list_name: str = ""
    contact_list: ContactList | None = None
    outlets: dict[str, Outlet] = field(default_factory=dict)  # folded name -> outlet
    new_outlets: list[Outlet] = field(default_factory=list)  # to create (created once applied)

    def with_action(self, action: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.action == action]

    @property
    def created(self) -> list[Entry]:
        return self.with_action(CREATED)

    @property
    def updated(self) -> list[Entry]:
        return self.with_action(UPDATED)

    @property
    def unchanged(self) -> list[Entry]:
        return self.with_action(UNCHANGED)

    def counts(self) -> dict[str, int]:
        return {
            CREATED: len(self.created),
            UPDATED: len(self.updated),
            UNCHANGED: len(self.unchanged),
            REFUSED: len(self.refused),
        }


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
    phone = phone_normalise(cell("phone"), country=values.get("country", ""))
    if phone:
        values["phone"] = phone[:40]
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


PROGRESS_EVERY = 1000


def _parse(
    rows: list[tuple], columns: Columns, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Entry], list[Refusal], int]:
    entries: dict[str, Entry] = {}
    refused: list[Refusal] = []
    blank_rows = 0
    email_column = columns.fields["email"]
    kinds = _outlet_kinds()
    languages = language_index()
    total = len(rows) - columns.header_row
    for index in range(columns.header_row, len(rows)):
        row = rows[index]
        row_number = index + 1
        if progress and (index - columns.header_row) % PROGRESS_EVERY == 0:
            progress(index - columns.header_row, total)
        if not any(_text(value) for value in row):
            blank_rows += 1
            continue
        raw_email = _text(row[email_column]) if email_column < len(row) else ""
        email = email_normalise(raw_email)
        if not email:
            refused.append(Refusal(row_number, "", Note("no_email", _("No email address."))))
            continue
        if not email_is_valid(email):
            refused.append(
                Refusal(
                    row_number,
                    raw_email,
                    Note(
                        "invalid_email",
                        _("“%(value)s” is not a valid email address.") % {"value": raw_email},
                    ),
                )
            )
            continue
        values, notes = _row_values(row, columns, kinds, languages)
        if email in entries:
            entries[email].notes.extend(notes)
            _merge(entries[email], values, row_number)
        else:
            entries[email] = Entry(email=email, rows=[row_number], values=values, notes=notes)
    return list(entries.values()), refused, blank_rows


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


def _outlets(entries: list[Entry]) -> dict[str, Outlet]:
    """Existing outlets by folded name (preferring one in the row's country), and new
    unsaved ones for names the file introduces."""
    wanted: dict[str, Entry] = {}
    for entry in entries:
        name = entry.values.get("outlet")
        if name:
            wanted.setdefault(name.lower(), entry)
    known: dict[str, list[Outlet]] = {}
    for chunk in _chunks(list(wanted)):
        for outlet in Outlet.objects.annotate(name_ci=Lower("name")).filter(name_ci__in=chunk):
            known.setdefault(outlet.name_ci, []).append(outlet)
    outlets = {}
    for name_ci, entry in wanted.items():
        candidates = known.get(name_ci)
        if candidates:
            country = entry.values.get("country", "")
            same_country = [o for o in candidates if str(o.country or "") == country]
            outlets[name_ci] = (same_country or candidates)[0]
        else:
            outlets[name_ci] = Outlet(
                name=entry.values["outlet"],
                country=entry.values.get("country", ""),
                city=entry.values.get("city", ""),
                kind=entry.values.get("outlet_kind", OutletKind.OTHER),
            )
    return outlets


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


def import_plan(
    *,
    rows: list[tuple],
    list_name: str = "",
    contact_list: ContactList | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Decide what importing these spreadsheet rows would do, without writing anything;
    `progress(done, total)` hears about the rows checked. Raises UnreadableSpreadsheet
    when no header row with an email column is found."""
    columns = columns_find(rows)
    entries, refused, blank_rows = _parse(rows, columns, progress)
    if contact_list is None and list_name:
        contact_list = ContactList.objects.filter(name__iexact=list_name).first()
    emails = [entry.email for entry in entries]
    existing = _existing_journalists(emails)
    suppressed = suppression_reasons([email for email in emails if email not in existing])
    outlets = _outlets(entries)
    members: set[int] = set()
    if contact_list is not None and contact_list.pk:
        ids = [journalist.pk for journalist in existing.values()]
        for chunk in _chunks(ids):
            members.update(
                Journalist.lists.through.objects.filter(
                    contactlist=contact_list, journalist_id__in=chunk
                ).values_list("journalist_id", flat=True)
            )
    wants_list = bool(list_name or contact_list)
    kept = []
    for entry in entries:
        journalist = existing.get(entry.email)
        if journalist is None:
            reason = suppressed.get(email_digest(entry.email))
            if reason is not None:
                refused.append(
                    Refusal(
                        entry.row,
                        entry.email,
                        Note(
                            "suppressed_address",
                            _(
                                "This address is on the suppression list (%(reason)s); "
                                "it is not imported again."
                            )
                            % {"reason": _suppression_label(reason)},
                        ),
                    )
                )
                continue
            entry.action = CREATED
            entry.joins_list = wants_list
            kept.append(entry)
            continue
        entry.journalist = journalist
        _compare(entry, journalist, outlets)
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
    return ImportPlan(
        columns=columns,
        entries=kept,
        refused=refused,
        blank_rows=blank_rows,
        list_name=contact_list.name if contact_list else list_name,
        contact_list=contact_list,
        outlets=outlets,
        new_outlets=[outlet for outlet in outlets.values() if outlet.pk is None],
    )
