"""The desk's and the office's lists: arrived, expected and not arrived, held,
conflicts after sync; their xlsx exports; the back office's logs and holds."""

import datetime as dt
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from press import permissions
from press.checkin.models import Hold
from press.checkin.scanning import checkin_hold, checkin_scan
from tests.factories import UserFactory
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db


def _user(group=None):
    user = UserFactory(is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def desk(client):
    client.force_login(_user(permissions.CHECKIN_DESK))
    return client


@pytest.fixture
def event():
    return event_today()


def _arrive(event, count, **kwargs):
    for _n in range(count):
        badge = badge_for(approved_request(event, **kwargs))
        checkin_scan(code=badge.code, by=None, desk="A")


def _workbook(response):
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    return rows


def test_arrived_list_shows_today(desk, event):
    _arrive(event, 1, first_name="Zoë", last_name="O'Brien")

    response = desk.get(reverse("checkin:lists", args=["arrived"]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Zoë O&#x27;Brien" in body
    assert "1 person" in body


def test_expected_list_leaves_out_who_arrived(desk, event):
    _arrive(event, 1, last_name="Came")
    approved_request(event, last_name="Waiting")

    body = desk.get(reverse("checkin:lists", args=["expected"])).content.decode()

    assert "Waiting" in body
    assert "Came" not in body


def test_held_list(desk, event):
    checkin_hold(badge_request=approved_request(event, last_name="Held"), by=None, note="ID?")

    body = desk.get(reverse("checkin:lists", args=["held"])).content.decode()

    assert "Held" in body and "ID?" in body


@pytest.mark.parametrize("which", ["arrived", "expected", "held"])
def test_list_queries_do_not_grow_with_rows(desk, event, which, django_assert_num_queries):
    def fill(count):
        for _n in range(count):
            badge = badge_for(approved_request(event))
            if which == "arrived":
                checkin_scan(code=badge.code, by=None, desk="A")
            if which == "held":
                checkin_hold(badge_request=badge.badge_request, by=None, note="n")

    url = reverse("checkin:lists", args=[which])
    fill(1)
    desk.get(url)
    with CaptureQueriesContext(connection) as one:
        desk.get(url)
    fill(6)
    with django_assert_num_queries(len(one.captured_queries)):
        desk.get(url)


def test_list_export_is_formula_safe_xlsx(desk, event):
    _arrive(event, 1, first_name='=HYPERLINK("http://x")', last_name="Evil")

    response = desk.get(
        reverse("checkin:lists", args=["arrived"]), {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _workbook(response)
    assert rows[0][:3] == ("Name", "Outlet", "Checked in")
    assert rows[1][0] == '=HYPERLINK("http://x") Evil'
    workbook = load_workbook(
        BytesIO(
            b"".join(
                desk.get(
                    reverse("checkin:lists", args=["arrived"]), {"export": "xlsx"}
                ).streaming_content
            )
        )
    )
    cell = workbook.active["A2"]
    assert cell.data_type == "s"
    assert cell.quotePrefix is True


def test_list_of_another_day(desk, event):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    badge = badge_for(approved_request(event, days=[yesterday], last_name="Yesterday"))
    at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(10)))
    checkin_scan(code=badge.code, by=None, desk="A", scanned_at=at, offline=True)
    url = reverse("checkin:lists", args=["arrived"])

    assert "Yesterday" not in desk.get(url).content.decode()
    assert "Yesterday" in desk.get(url, {"day": yesterday.isoformat()}).content.decode()


def test_unknown_list_is_404(desk, event):
    assert desk.get(reverse("checkin:lists", args=["everyone"])).status_code == 404


def test_conflicts_list_is_for_the_press_office(desk, client, event):
    assert desk.get(reverse("checkin:lists", args=["conflicts"])).status_code == 403
    desk.logout()
    client.force_login(_user(permissions.PRESS_OFFICER))
    assert client.get(reverse("checkin:lists", args=["conflicts"])).status_code == 200


@pytest.mark.parametrize("group", [permissions.VIEWER, permissions.ACCREDITATION_REVIEWER])
def test_lists_refused_to_others(client, event, group):
    client.force_login(_user(group))

    assert client.get(reverse("checkin:lists", args=["arrived"])).status_code == 403
    response = client.get(reverse("checkin:lists", args=["arrived"]), {"export": "xlsx"})
    assert response.status_code == 403


def test_admin_logs_are_read_only_for_officers(client, event):
    _arrive(event, 1)
    client.force_login(_user(permissions.PRESS_OFFICER))

    assert client.get(reverse("admin:checkin_checkin_changelist")).status_code == 200
    assert client.get(reverse("admin:checkin_scan_changelist")).status_code == 200
    assert client.get(reverse("admin:checkin_scan_add")).status_code == 403
    assert client.get(reverse("admin:checkin_checkin_add")).status_code == 403


def test_admin_officer_resolves_a_hold(client, event):
    officer = _user(permissions.PRESS_OFFICER)
    hold = checkin_hold(badge_request=approved_request(event), by=None, note="Card")
    client.force_login(officer)

    response = client.post(
        reverse("admin:checkin_hold_changelist"),
        {"action": "resolve", "_selected_action": [hold.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "1 hold resolved." in response.content.decode()
    hold.refresh_from_db()
    assert (hold.resolved_by, hold.resolved_at is not None) == (officer, True)


def test_admin_desk_cannot_resolve_holds(client, event):
    hold = checkin_hold(badge_request=approved_request(event), by=None, note="Card")
    client.force_login(_user(permissions.CHECKIN_DESK))

    response = client.post(
        reverse("admin:checkin_hold_changelist"),
        {"action": "resolve", "_selected_action": [hold.pk]},
    )

    assert response.status_code == 403
    assert Hold.objects.get().resolved_at is None
