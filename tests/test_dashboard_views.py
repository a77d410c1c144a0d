"""The back office's dashboard: figures, charts, downloads, queries and permissions."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.coverage.models import CoverageItem
from press.dashboard.charts import CHARTS
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.models import Delivery, Mailing
from tests.factories import JournalistFactory, OutletFactory
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory
from tests.factories.coverage import CoverageItemFactory

INDEX = "dashboard:index"
STATES = [
    BadgeRequestState.SUBMITTED,
    BadgeRequestState.APPROVED,
    BadgeRequestState.WAITLISTED,
    BadgeRequestState.REJECTED,
]
COUNTRIES = ["BE", "FR", "DE", "PL", "IT"]
KINDS = ["print", "online", "radio", "tv", "agency"]


def _fill(event, count, *, outlet):
    """`count` badge requests, deliveries and coverage items, written in bulk."""
    requests = []
    for index in range(count):
        request = BadgeRequestFactory.build(
            event=event,
            state=STATES[index % 4],
            outlet=outlet if index % 3 else None,
            outlet_country=COUNTRIES[index % 5],
            outlet_kind=["newspaper", "radio", "tv"][index % 3],
            email=f"bulk{count}-{index}@media.example",
            photo="",
            press_card="",
        )
        requests.append(request)
    BadgeRequest.objects.bulk_create(requests)
    mailing = Mailing.objects.create(
        event=event,
        kind=MailingKind.RELEASE,
        state=MailingState.SENT,
        subject={"en": f"Release {count}"},
        started_at=timezone.now(),
    )
    journalists = JournalistFactory.create_batch(1, outlet=outlet)
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                mailing=mailing,
                journalist=journalists[0] if index == 0 else None,
                email=f"d{count}-{index}@media.example",
                language="en",
                state=DeliveryState.DELIVERED if index % 5 else DeliveryState.SENT,
                delivered_at=now if index % 5 else None,
                opened_at=now if index % 2 else None,
                clicked_at=now if index % 4 == 1 else None,
            )
            for index in range(count)
        ]
    )
    CoverageItem.objects.bulk_create(
        [
            CoverageItemFactory.build(
                event=event,
                url=f"https://news.example/{count}/{index}",
                country=COUNTRIES[index % 5],
                kind=KINDS[index % 5],
                language=["fr", "en", "de"][index % 3],
            )
            for index in range(count)
        ]
    )
    return mailing


def _get(client, event, **params):
    return client.get(reverse(INDEX), {"event": event.pk, **params}, HTTP_ACCEPT_LANGUAGE="en")


def test_dashboard_queries_do_not_grow_with_the_data(officer_client, event):
    outlet = OutletFactory()
    FieldVisitFactory(event=event)
    _fill(event, 1, outlet=outlet)
    _get(officer_client, event)  # warm the session and content types
    with CaptureQueriesContext(connection) as small:
        assert _get(officer_client, event).status_code == 200

    _fill(event, 500, outlet=outlet)
    with CaptureQueriesContext(connection) as large:
        response = _get(officer_client, event)

    assert response.status_code == 200
    assert len(large) == len(small)


def test_each_chart_equals_a_direct_count(officer_client, event):
    _fill(event, 40, outlet=OutletFactory())

    response = _get(officer_client, event)

    charts = {chart["slug"]: chart for chart in response.context["charts"]}
    requests = BadgeRequest.objects.filter(event=event)
    coverage = CoverageItem.objects.filter(event=event)
    state_labels = dict(BadgeRequestState.choices)
    for state in STATES:
        row = next(r for r in charts["requests-state"]["rows"] if r["label"] == state_labels[state])
        assert row["count"] == requests.filter(state=state).count()
    country_rows = {r["label"]: r["count"] for r in charts["requests-country"]["rows"]}
    assert country_rows["Poland"] == requests.filter(outlet_country="PL").count()
    kind_rows = {r["label"]: r["count"] for r in charts["coverage-kind"]["rows"]}
    assert kind_rows["Radio"] == coverage.filter(kind="radio").count()
    language_rows = {r["label"]: r["count"] for r in charts["coverage-language"]["rows"]}
    assert language_rows["German"] == coverage.filter(language="de").count()
    assert charts["coverage-country"]["total"] == coverage.count()
    day_rows = charts["requests-day"]["rows"]
    assert sum(row["count"] for row in day_rows) == requests.count()


def test_funnel_numbers_and_rates(officer_client, event):
    mailing = _fill(event, 20, outlet=OutletFactory())

    response = _get(officer_client, event)

    (entry,) = response.context["funnels"]
    deliveries = Delivery.objects.filter(mailing=mailing)
    assert entry["value"].sent == deliveries.count()
    assert entry["value"].delivered == deliveries.filter(delivered_at__isnull=False).count()
    assert entry["value"].opened == deliveries.filter(opened_at__isnull=False).count()
    assert entry["value"].clicked == deliveries.filter(clicked_at__isnull=False).count()
    rates = [rate for _step, _count, rate in entry["value"].steps()]
    assert rates[0] is None
    assert rates[1] == pytest.approx(16 / 20)


def test_figures_link_to_the_filtered_lists(officer_client, event):
    BadgeRequestFactory(event=event, state=BadgeRequestState.SUBMITTED, outlet=None)
    BadgeRequestFactory(event=event, state=BadgeRequestState.SUBMITTED, outlet=OutletFactory())

    response = _get(officer_client, event)

    assert response.context["waiting"] == {"waiting": 2, "flagged": 1}
    flagged = officer_client.get(response.context["flagged_url"])
    assert flagged.context["cl"].result_count == 1
    waiting = officer_client.get(response.context["waiting_url"])
    assert waiting.context["cl"].result_count == 2
    country = next(c for c in response.context["charts"] if c["slug"] == "requests-country")
    listed = officer_client.get(country["rows"][0]["url"])
    assert listed.context["cl"].result_count == country["rows"][0]["count"]


def test_capacity_per_day_and_field_visit(officer_client, event):
    visit = FieldVisitFactory(event=event, capacity=5)
    first, second = event.days[0].isoformat(), event.days[1].isoformat()
    approved = BadgeRequestFactory(
        event=event, state=BadgeRequestState.APPROVED, days=[first, second]
    )
    approved.field_visits.add(visit)
    BadgeRequestFactory(event=event, state=BadgeRequestState.APPROVED, days=[first])

    response = _get(officer_client, event)

    capacity = response.context["capacity"]
    assert capacity["total"].used == 2
    assert [(d.label, d.used) for d in capacity["per_day"]][:2] == [(first, 2), (second, 1)]
    assert [(v.used, v.capacity) for v in capacity["field_visits"]] == [(1, 5)]


def test_embargo_lifting_soon_is_listed(officer_client, event):
    from tests.factories import ReleaseFactory

    soon = ReleaseFactory(event=event, embargo_until=timezone.now() + dt.timedelta(hours=5))
    ReleaseFactory(event=event, embargo_until=timezone.now() + dt.timedelta(days=5))

    response = _get(officer_client, event)

    assert [release.pk for release in response.context["embargoes"]] == [soon.pk]


def test_chart_xlsx_holds_the_charts_numbers(officer_client, event):
    _fill(event, 12, outlet=OutletFactory())

    response = officer_client.get(
        reverse("dashboard:chart", args=["coverage-country"]),
        {"event": event.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Country", "Count")
    assert dict(rows[1:])["Belgium"] == CoverageItem.objects.filter(country="BE").count()


def _requests_on_two_days(event):
    noon = dt.time(12, tzinfo=timezone.get_current_timezone())
    for day, count in ((dt.date(2024, 11, 20), 2), (dt.date(2024, 12, 1), 1)):
        for badge_request in BadgeRequestFactory.create_batch(count, event=event):
            BadgeRequest.objects.filter(pk=badge_request.pk).update(
                submitted_at=dt.datetime.combine(day, noon)
            )


@pytest.mark.parametrize(
    ("language", "labels"),
    [("en", ["20 Nov", "1 Dec"]), ("fr", ["20 nov.", "1er déc."])],
)
def test_requests_by_day_shows_short_local_dates(officer_client, event, language, labels):
    _requests_on_two_days(event)

    response = officer_client.get(
        reverse(INDEX), {"event": event.pk}, HTTP_ACCEPT_LANGUAGE=language
    )
    download = officer_client.get(
        reverse("dashboard:chart", args=["requests-day"]),
        {"event": event.pk},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    chart = next(c for c in response.context["charts"] if c["slug"] == "requests-day")
    assert [(row["label"], row["count"]) for row in chart["rows"]] == [
        (labels[0], 2),
        (labels[1], 1),
    ]
    assert [bar["label"] for bar in chart["svg"]["items"]] == labels
    page = response.content.decode()
    for label in labels:
        assert f">{label}</text>" in page  # the SVG
        assert f'<th scope="row">{label}</th>' in page  # the table
    assert "2024-11-20" not in page
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [(labels[0], 2), (labels[1], 1)]


def test_funnels_xlsx(officer_client, event):
    _fill(event, 10, outlet=OutletFactory())

    response = officer_client.get(reverse("dashboard:funnels"), {"event": event.pk})

    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][1:5] == (10, 8, 5, 3)


def test_unknown_chart_is_404(officer_client, event):
    response = officer_client.get(reverse("dashboard:chart", args=["nothing"]), {"event": event.pk})

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_unknown_event_is_404(officer_client, event, value):
    assert officer_client.get(reverse(INDEX), {"event": value}).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, event):
    response = client.get(reverse(INDEX))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_reviewer_sees_requests_not_mailings(client, staff_user, event):
    client.force_login(staff_user("Accreditation reviewer"))

    response = _get(client, event)

    assert response.status_code == 200
    assert "waiting" in response.context
    assert "funnels" not in response.context
    slugs = {chart["slug"] for chart in response.context["charts"]}
    assert slugs == {"requests-state", "requests-country", "requests-outlet-kind", "requests-day"}
    assert client.get(reverse("dashboard:funnels"), {"event": event.pk}).status_code == 403
    refused = client.get(reverse("dashboard:chart", args=["coverage-kind"]), {"event": event.pk})
    assert refused.status_code == 403


def test_desk_sees_only_arrivals(client, staff_user, event):
    client.force_login(staff_user("Check-in desk"))

    response = _get(client, event)

    assert response.status_code == 200
    assert "waiting" not in response.context
    assert "funnels" not in response.context
    assert "arrivals" in response.context
    chart = client.get(reverse("dashboard:chart", args=["requests-state"]), {"event": event.pk})
    assert chart.status_code == 403


def test_staff_without_a_group_is_refused(client, staff_user, event):
    client.force_login(staff_user())

    assert _get(client, event).status_code == 403


def test_dashboard_in_french(officer_client, event):
    BadgeRequestFactory.create_batch(3, event=event)

    response = officer_client.get(reverse(INDEX), {"event": event.pk}, HTTP_ACCEPT_LANGUAGE="fr")

    page = response.content.decode()
    assert "Tableau de bord" in page
    assert "en attente de décision" in page
    assert "waiting for a decision" not in page


def test_admin_index_leads_to_the_dashboard(officer_client):
    response = officer_client.get(reverse("admin:index"))

    assert reverse(INDEX) in response.content.decode()


def test_every_chart_has_a_permission():
    assert all(chart.permission for chart in CHARTS.values())
