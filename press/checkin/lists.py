"""The desk's and the office's lists of a day (arrived, expected and not arrived, held,
conflicts after sync), each a table that a page shows and an xlsx export writes."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from press.checkin.models import Scan
from press.checkin.selectors import (
    checkin_arrivals,
    checkin_expected_not_arrived,
    checkin_holds,
)
from press.core.spreadsheets import xlsx_response
from press.events.models import Event


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    # Columns holding phone numbers: E.164 in the export, formatted on the page.
    phone_columns: tuple[int, ...] = ()


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None


def arrived(*, event: Event, day: dt.date) -> Table:
    rows = [
        [
            c.badge_request.full_name,
            c.badge_request.outlet_name,
            _local(c.at),
            c.desk,
            _person(c.by),
            _("yes") if c.offline else _("no"),
        ]
        for c in checkin_arrivals(event=event, day=day)
    ]
    headers = [_("Name"), _("Outlet"), _("Checked in"), _("Desk"), _("By"), _("Offline")]
    return Table("arrived", str(TITLES["arrived"]), headers, rows)


def expected(*, event: Event, day: dt.date) -> Table:
    requests: QuerySet = checkin_expected_not_arrived(event=event, day=day)
    rows = [[r.full_name, r.outlet_name, r.get_role_display(), r.email, r.phone] for r in requests]
    headers = [_("Name"), _("Outlet"), _("Role"), _("Email"), _("Phone")]
    return Table("expected", str(TITLES["expected"]), headers, rows, phone_columns=(4,))


def held(*, event: Event, day: dt.date) -> Table:
    rows = [
        [
            h.badge_request.full_name,
            h.badge_request.outlet_name,
            h.note,
            _local(h.created_at),
            h.desk,
            _person(h.created_by),
        ]
        for h in checkin_holds(event=event)
    ]
    headers = [_("Name"), _("Outlet"), _("Note"), _("Held"), _("Desk"), _("By")]
    return Table("held", str(TITLES["held"]), headers, rows)


def conflicts(*, event: Event, day: dt.date) -> Table:
    scans = (
        Scan.objects.filter(conflict=True, badge_request__event=event)
        .select_related("badge_request", "check_in", "by")
        .order_by("-at", "-pk")
    )
    rows = [
        [
            s.badge_request.full_name if s.badge_request else s.code,
            s.desk,
            _local(s.device_at),
            s.check_in.desk if s.check_in else "",
            _local(s.check_in.at) if s.check_in else None,
            _person(s.by),
        ]
        for s in scans
    ]
    headers = [
        _("Name"),
        _("Desk of this scan"),
        _("Scanned (device time)"),
        _("Desk kept"),
        _("Check-in kept"),
        _("By"),
    ]
    return Table("conflicts", str(TITLES["conflicts"]), headers, rows)


TITLES = {
    "arrived": gettext_lazy("Arrived"),
    "expected": gettext_lazy("Expected, not arrived"),
    "held": gettext_lazy("On hold"),
    "conflicts": gettext_lazy("Conflicts after sync"),
}
LISTS: dict[str, Callable[..., Table]] = {
    "arrived": arrived,
    "expected": expected,
    "held": held,
    "conflicts": conflicts,
}


def export(table: Table, *, event: Event, day: dt.date) -> FileResponse:
    """The table as a formula-safe xlsx download."""
    return xlsx_response(
        filename=f"checkin-{table.slug}-{event.slug}-{day.isoformat()}.xlsx",
        title=table.title,
        headers=table.headers,
        rows=table.rows,
    )
