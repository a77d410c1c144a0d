"""The dashboard's charts: their numbers, their labels in the reader's language, the
permission that shows each, and their geometry as server-drawn SVG (bars and a funnel;
no script, nothing from outside)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from contacts.enums import OutletKind
from press.accreditation.enums import BadgeRequestState
from press.core.dates import date_short
from press.core.typing import StrOrPromise
from press.coverage.enums import CoverageKind
from press.dashboard.selectors import (
    Funnel,
    checkins_by_hour,
    coverage_counts,
    requests_by,
)
from press.events.models import Event

BAR_WIDTH = 560
LABEL_WIDTH = 170
ROW_HEIGHT = 26
MAX_BARS = 25


def _country(code: str) -> str:
    return str(dict(countries).get(code, code)) if code else str(_("Unknown"))


def _choice(choices: Any) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda code: str(labels.get(code, code or _("Unknown")))


def _language(code: str) -> str:
    from django.utils.translation import get_language_info

    if not code:
        return str(_("Unknown"))
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _day(value: str) -> str:
    """An ISO day as the reader writes it short: "20 nov." / "20 Nov"."""
    return date_short(dt.date.fromisoformat(value)) if value else str(_("Unknown"))


def _same(value: str) -> str:
    return value


@dataclass(frozen=True)
class Chart:
    slug: str
    title: StrOrPromise
    column: StrOrPromise
    permission: str
    rows: Callable[[Event], list[tuple[str, int]] | None]
    label: Callable[[str], str]
    # The admin list behind a bar: (url name, query parameter) or None.
    link: tuple[str, str] | None = None


REQUESTS = "accreditation.view_badgerequest"
COVERAGE = "coverage.view_coverageitem"
CHECKIN = "events.check_in_badge"

CHARTS: dict[str, Chart] = {
    chart.slug: chart
    for chart in [
        Chart(
            "requests-state",
            _("Badge requests by state"),
            _("State"),
            REQUESTS,
            lambda event: requests_by(event=event, dimension="state"),
            _choice(BadgeRequestState.choices),
            ("admin:accreditation_badgerequest_changelist", "state__exact"),
        ),
        Chart(
            "requests-country",
            _("Badge requests by country of the outlet"),
            _("Country"),
            REQUESTS,
            lambda event: requests_by(event=event, dimension="country"),
            _country,
            ("admin:accreditation_badgerequest_changelist", "country"),
        ),
        Chart(
            "requests-outlet-kind",
            _("Badge requests by outlet kind"),
            _("Outlet kind"),
            REQUESTS,
            lambda event: requests_by(event=event, dimension="outlet_kind"),
            _choice(OutletKind.choices),
            ("admin:accreditation_badgerequest_changelist", "outlet_kind__exact"),
        ),
        Chart(
            "requests-day",
            _("Badge requests by day received"),
            _("Day"),
            REQUESTS,
            lambda event: requests_by(event=event, dimension="day"),
            _day,
        ),
        Chart(
            "checkins-hour",
            _("Check-ins by hour"),
            _("Hour"),
            CHECKIN,
            lambda event: checkins_by_hour(event=event),
            _same,
        ),
        Chart(
            "coverage-country",
            _("Coverage by country"),
            _("Country"),
            COVERAGE,
            lambda event: coverage_counts(event=event, dimension="country"),
            _country,
            ("admin:coverage_coverageitem_changelist", "country"),
        ),
        Chart(
            "coverage-language",
            _("Coverage by language"),
            _("Language"),
            COVERAGE,
            lambda event: coverage_counts(event=event, dimension="language"),
            _language,
            ("admin:coverage_coverageitem_changelist", "language__exact"),
        ),
        Chart(
            "coverage-kind",
            _("Coverage by kind"),
            _("Kind"),
            COVERAGE,
            lambda event: coverage_counts(event=event, dimension="kind"),
            _choice(CoverageKind.choices),
            ("admin:coverage_coverageitem_changelist", "kind__exact"),
        ),
    ]
}


def bars(rows: list[tuple[str, int]]) -> dict[str, Any]:
    """The geometry of a horizontal bar chart: a bar per row (the largest fills the
    width), with its label and value; at most MAX_BARS bars (the table has them all)."""
    shown = rows[:MAX_BARS]
    top = max((count for _label, count in shown), default=0) or 1
    space = BAR_WIDTH - LABEL_WIDTH - 60
    items = []
    for index, (label, count) in enumerate(shown):
        items.append(
            {
                "label": label if len(label) <= 24 else label[:23] + "…",
                "count": count,
                "y": index * ROW_HEIGHT,
                "text_y": index * ROW_HEIGHT + 17,
                "width": max(1, round(space * count / top)) if count else 0,
                "value_x": LABEL_WIDTH + (round(space * count / top) if count else 0) + 6,
            }
        )
    return {
        "items": items,
        "width": BAR_WIDTH,
        "height": max(1, len(items)) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "more": max(0, len(rows) - len(shown)),
    }


FUNNEL_STEPS = {
    "sent": _("Sent"),
    "delivered": _("Delivered"),
    "opened": _("Opened"),
    "clicked": _("Clicked"),
}


def funnel(value: Funnel) -> dict[str, Any]:
    """The geometry of a mailing's funnel: centred bars narrowing from sent to
    clicked, each with its count and its rate of the step before."""
    top = value.sent or 1
    items = []
    for index, (step, count, rate) in enumerate(value.steps()):
        width = max(2, round(BAR_WIDTH * 0.7 * count / top)) if count else 2
        items.append(
            {
                "step": step,
                "label": FUNNEL_STEPS[step],
                "count": count,
                "rate": rate,
                "x": round((BAR_WIDTH - width) / 2),
                "y": index * 34,
                "width": width,
                "text_y": index * 34 + 20,
            }
        )
    return {"items": items, "width": BAR_WIDTH, "height": 4 * 34, "centre": BAR_WIDTH // 2}
