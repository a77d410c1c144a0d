"""Importing a media-monitoring export: a spreadsheet of articles and broadcasts.

Columns (English or French headers, any order, in the first 20 rows): URL, headline,
outlet, date, language, kind, audience. `coverage_import_plan` says what each row
would do — create an item, update the item of the same address, or be skipped and
why — without writing anything; `coverage_import_apply` plans again and writes the
whole plan in one transaction (all or nothing).
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from contacts.imports.reading import UnreadableSpreadsheet, spreadsheet_read
from contacts.models import Outlet
from press.coverage.enums import CoverageKind, CoverageSource
from press.coverage.items import CoverageError, coverage_url_normalise
from press.coverage.models import CoverageItem
from press.events.models import Event

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20
AUDIENCE = re.compile(r"\d+|\d{1,3}(?:[ ,.\u202f\xa0]\d{3})+")


def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


HEADERS = {
    "url": {"url", "link", "lien", "adresse", "address", "web address", "adresse web"},
    "headline": {"headline", "title", "titre", "article", "subject", "sujet"},
    "outlet": {"outlet", "media", "medium", "source", "support", "publication", "titre de presse"},
    "date": {"date", "published", "publication date", "date de publication", "parution"},
    "language": {"language", "langue", "lang"},
    "kind": {"kind", "type", "media type", "type de media", "genre"},
    "audience": {
        "audience",
        "estimated audience",
        "audience estimee",
        "reach",
        "portee",
        "circulation",
        "tirage",
    },
}
KINDS = {
    CoverageKind.PRINT: {"print", "press", "presse", "presse ecrite", "imprime", "newspaper"},
    CoverageKind.ONLINE: {"online", "web", "en ligne", "internet", "site"},
    CoverageKind.RADIO: {"radio"},
    CoverageKind.TV: {"tv", "television", "tele"},
    CoverageKind.AGENCY: {"agency", "agence", "wire", "agence de presse"},
    CoverageKind.SOCIAL: {"social", "social media", "reseaux sociaux", "reseau social"},
}


@dataclass
class PlannedRow:
    row: int
    action: str  # "create", "update" or "skip"
    url: str = ""
    headline: str = ""
    reason: str = ""
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]
    unknown_columns: list[str]

    def of(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {action: len(self.of(action)) for action in ("create", "update", "skip")}


def _columns(rows: list[tuple]) -> tuple[int, dict[str, int], list[str]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        unknown = []
        for position, cell in enumerate(row):
            name = _fold(cell)
            if not name:
                continue
            key = next((key for key, names in HEADERS.items() if name in names), None)
            if key and key not in found:
                found[key] = position
            else:
                unknown.append(str(cell))
        if "url" in found:
            return index, found, unknown
    raise UnreadableSpreadsheet(
        "no_header",
        _("No header row with a “URL” (or “Lien”) column was found in the first 20 rows."),
    )


def _text(row: tuple, position: int | None) -> str:
    if position is None or position >= len(row) or row[position] is None:
        return ""
    value = row[position]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(row: tuple, position: int | None) -> tuple[dt.date | None, str]:
    if position is None or position >= len(row) or row[position] in (None, ""):
        return None, ""
    value = row[position]
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = str(value).strip()
    for parse in (
        lambda t: dt.date.fromisoformat(t[:10]),
        lambda t: dt.datetime.strptime(t, "%d/%m/%Y").date(),
        lambda t: dt.datetime.strptime(t, "%d.%m.%Y").date(),
    ):
        try:
            return parse(text), ""
        except ValueError:
            continue
    return None, _("the date “%(value)s” is not a date (use 2024-03-21 or 21/03/2024)") % {
        "value": text
    }


def _kind(text: str) -> str | None:
    if not text:
        return CoverageKind.ONLINE
    folded = _fold(text)
    return next((kind for kind, names in KINDS.items() if folded in names), None)


def _audience(text: str) -> tuple[int | None, bool]:
    """A whole number, with or without thousands separators (1 200 000, 1,200,000,
    1.200.000); (None, False) for anything else."""
    if not text:
        return None, True
    if AUDIENCE.fullmatch(text):
        return int(re.sub(r"\D", "", text)), True
    return None, False


def coverage_import_plan(*, event: Event, data: bytes) -> ImportPlan:
    """What importing this file into `event` would do, row by row. Raises
    UnreadableSpreadsheet for a file that is no spreadsheet, has no URL column or has
    more than 20,000 rows. Writes nothing."""
    rows = spreadsheet_read(data)
    header_index, columns, unknown = _columns(rows)
    body = rows[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise UnreadableSpreadsheet(
            "too_many_rows",
            _("The file has more than %(count)s rows; split it into smaller files.")
            % {"count": f"{MAX_ROWS:,}".replace(",", "\u202f")},
        )
    existing = dict(CoverageItem.objects.filter(event=event).values_list("url", "pk"))
    outlets: dict[str, Outlet] = {}
    for each in Outlet.objects.only("pk", "name", "country"):
        outlets.setdefault(each.name.lower(), each)
    seen: dict[str, int] = {}
    planned = []
    for offset, row in enumerate(body):
        number = header_index + offset + 2
        if not any(cell not in (None, "") for cell in row):
            continue
        url_text = _text(row, columns.get("url"))
        headline = _text(row, columns.get("headline"))[:500]
        problems = []
        url = ""
        try:
            url = coverage_url_normalise(url_text)
        except CoverageError:
            problems.append(
                _("the address “%(value)s” is not an http(s) address") % {"value": url_text}
                if url_text
                else _("no address")
            )
        if url and url in seen:
            problems.append(_("the same address as row %(row)s") % {"row": seen[url]})
        published_on, date_problem = _date(row, columns.get("date"))
        if date_problem:
            problems.append(date_problem)
        kind_text = _text(row, columns.get("kind"))
        kind = _kind(kind_text)
        if kind is None:
            problems.append(_("the kind “%(value)s” is unknown") % {"value": kind_text})
        audience_text = _text(row, columns.get("audience"))
        audience, audience_ok = _audience(audience_text)
        if not audience_ok:
            problems.append(
                _("the audience “%(value)s” is not a whole number") % {"value": audience_text}
            )
        if problems:
            planned.append(
                PlannedRow(number, "skip", url_text, headline, reason="; ".join(problems))
            )
            continue
        seen[url] = number
        outlet_name = _text(row, columns.get("outlet"))[:200]
        outlet = outlets.get(outlet_name.lower()) if outlet_name else None
        values = {
            "headline": headline or url[:500],
            "outlet_id": outlet.pk if outlet else None,
            "outlet_name": outlet_name,
            "country": str(outlet.country) if outlet and outlet.country else "",
            "published_on": published_on,
            "language": _text(row, columns.get("language")).lower()[:8],
            "kind": kind,
            "estimated_audience": audience,
        }
        action = "update" if url in existing else "create"
        planned.append(PlannedRow(number, action, url, headline or url[:500], values=values))
    return ImportPlan(rows=planned, unknown_columns=unknown)


def coverage_import_apply(*, event: Event, data: bytes, by: Any = None) -> ImportPlan:
    """Plan the file again (the event's coverage may have changed since the preview)
    and write it in one transaction: new addresses created (source "import"), known
    ones updated with the file's values where it has one. Skipped rows write nothing."""
    plan = coverage_import_plan(event=event, data=data)
    with transaction.atomic():
        creating = [
            CoverageItem(
                event=event, url=row.url, source=CoverageSource.IMPORT, created_by=by, **row.values
            )
            for row in plan.of("create")
        ]
        CoverageItem.objects.bulk_create(creating, batch_size=1000)
        updates = {row.url: row.values for row in plan.of("update")}
        items = list(CoverageItem.objects.select_for_update().filter(event=event, url__in=updates))
        changed = set()
        for item in items:
            for name, value in updates[item.url].items():
                if value not in (None, ""):
                    setattr(item, name, value)
                    changed.add(name)
        if items and changed:
            CoverageItem.objects.bulk_update(items, sorted(changed), batch_size=1000)
    return plan
