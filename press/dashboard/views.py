"""The back office's home: per event, what needs doing now and the event's figures.

Each section shows only to staff allowed to see what it counts: requests and capacity
to those who may see badge requests (reviewers, officers), mailings and releases to
those who may see mailings, arrivals to the desk, coverage to those who may see it.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from press.core.spreadsheets import xlsx_response
from press.dashboard.charts import CHARTS, COVERAGE, FUNNEL_STEPS, REQUESTS, bars, funnel
from press.dashboard.selectors import (
    arrivals_today,
    capacity_used,
    embargoes_lifting,
    mailing_funnels,
    mailings_in_progress,
    requests_waiting,
)
from press.events.models import Event
from press.events.selectors import current_event

MAILINGS = "mailings.view_mailing"
CHECKIN = "events.check_in_badge"
SECTIONS = (REQUESTS, MAILINGS, CHECKIN, COVERAGE)


def _event(request) -> Event | None:
    value = request.GET.get("event", "")
    if value:
        if not value.isdigit():
            raise Http404
        return get_object_or_404(Event, pk=value)
    return current_event()


def _link(name: str, **query: str | int) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _chart_context(chart, event: Event) -> dict | None:
    rows = chart.rows(event)
    if rows is None:
        return None
    labelled = [(chart.label(value), count, value) for value, count in rows]
    geometry = bars([(label, count) for label, count, _value in labelled])
    links = []
    for label, count, value in labelled:
        url = None
        if chart.link:
            name, parameter = chart.link
            event_parameter = "event" if "badgerequest" in name else "event__id__exact"
            url = _link(name, **{parameter: value, event_parameter: event.pk})
        links.append({"label": label, "count": count, "url": url})
    return {
        "slug": chart.slug,
        "title": chart.title,
        "column": chart.column,
        "svg": geometry,
        "rows": links,
        "total": sum(count for _label, count, _value in labelled),
        "download": reverse("dashboard:chart", args=[chart.slug]) + f"?event={event.pk}",
    }


@staff_member_required
def index(request):
    user = request.user
    allowed = {permission for permission in SECTIONS if user.has_perm(permission)}
    if not allowed:
        raise PermissionDenied
    event = _event(request)
    context = {
        "title": _("Dashboard"),
        "event": event,
        "events": Event.objects.order_by("-starts_on"),
        "allowed": allowed,
        "can_requests": REQUESTS in allowed,
        "can_mailings": MAILINGS in allowed,
        "can_checkin": CHECKIN in allowed,
        "can_coverage": COVERAGE in allowed,
        "site_header": _("Presse — press office"),
        "has_permission": True,
    }
    if event is not None:
        requests_list = "admin:accreditation_badgerequest_changelist"
        if REQUESTS in allowed:
            waiting = requests_waiting(event=event)
            capacity = capacity_used(event=event)
            context.update(
                waiting=waiting,
                waiting_url=_link(requests_list, state__exact="submitted", event=event.pk),
                flagged_url=_link(
                    requests_list, state__exact="submitted", flag="any", event=event.pk
                ),
                capacity=capacity,
                approved_url=_link(requests_list, state__exact="approved", event=event.pk),
                day_links=[
                    (day, _link(requests_list, event=event.pk, **day.link_query))
                    for day in capacity["per_day"]
                ],
                visits_url=_link(
                    "admin:accreditation_fieldvisit_changelist", event__id__exact=event.pk
                ),
                outlets_url=_link(requests_list, flag="outlet_limit", event=event.pk),
            )
        if MAILINGS in allowed:
            funnels = mailing_funnels(event=event)
            context.update(
                in_progress=mailings_in_progress(event=event),
                embargoes=embargoes_lifting(event=event),
                funnels=[{"value": value, "svg": funnel(value)} for value in funnels],
                funnel_download=reverse("dashboard:funnels") + f"?event={event.pk}",
            )
        if CHECKIN in allowed:
            context["arrivals"] = arrivals_today(event=event)
        charts = []
        for chart in CHARTS.values():
            if chart.permission in allowed:
                chart_context = _chart_context(chart, event)
                if chart_context is not None:
                    charts.append(chart_context)
        context["charts"] = charts
    return TemplateResponse(request, "dashboard/index.html", context)


@staff_member_required
def chart_xlsx(request, slug):
    """A chart's numbers as a spreadsheet, for those who may see the chart."""
    chart = CHARTS.get(slug)
    if chart is None:
        raise Http404
    if not request.user.has_perm(chart.permission):
        raise PermissionDenied
    event = _event(request)
    if event is None:
        raise Http404
    rows = chart.rows(event) or []
    return xlsx_response(
        filename=f"{slug}-{event.slug}.xlsx",
        title=str(chart.title),
        headers=[str(chart.column), _("Count")],
        rows=[(chart.label(value), count) for value, count in rows],
    )


@staff_member_required
def funnels_xlsx(request):
    """The mailing funnels' numbers as a spreadsheet."""
    if not request.user.has_perm(MAILINGS):
        raise PermissionDenied
    event = _event(request)
    if event is None:
        raise Http404
    headers = [_("Mailing")]
    for label in FUNNEL_STEPS.values():
        headers.append(str(label))
    headers += [_("Delivered / sent"), _("Opened / delivered"), _("Clicked / opened")]
    rows = []
    for value in mailing_funnels(event=event, limit=50):
        rates = [rate for _step, _count, rate in value.steps()][1:]
        rows.append(
            [str(value.mailing), value.sent, value.delivered, value.opened, value.clicked]
            + [round(rate, 4) if rate is not None else None for rate in rates]
        )
    return xlsx_response(
        filename=f"mailing-funnels-{event.slug}.xlsx",
        title=_("Mailing funnels"),
        headers=headers,
        rows=rows,
    )
