"""The offline part of the desk: the day's list (hashed codes only), the sync of scans
made offline, the installable app's manifest and service worker."""

import datetime as dt
import hashlib
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from press import permissions
from press.badges.enums import BadgeState
from press.checkin.models import CheckIn, Scan
from press.checkin.scanning import checkin_hold
from tests.factories import UserFactory
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


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


def _sync(client, scans, **extra):
    return client.post(
        reverse("checkin:sync"),
        json.dumps({"scans": scans}),
        content_type="application/json",
        **JSON,
        **extra,
    )


def test_day_list_has_hashed_codes_and_no_plain_code(desk, event):
    badge = badge_for(approved_request(event, first_name="Søren", last_name="Łukasiewicz"))
    old = badge_for(approved_request(event), state=BadgeState.REPLACED)
    checkin_hold(badge_request=old.badge_request, by=None, note="See the office")

    response = desk.get(reverse("checkin:day_list"), **JSON)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    assert badge.code not in body and old.code not in body
    data = response.json()
    entries = {entry["hash"]: entry for entry in data["badges"]}
    mine = entries[hashlib.sha256(badge.code.encode()).hexdigest()]
    assert mine["name"] == "Søren Łukasiewicz"
    assert mine["badge_state"] == "active"
    assert mine["today_ok"] is True
    assert mine["photo"].startswith("data:image/jpeg;base64,")
    assert mine["hold"] is None
    replaced = entries[hashlib.sha256(old.code.encode()).hexdigest()]
    assert (replaced["badge_state"], replaced["hold"]) == ("replaced", "See the office")
    assert data["day"] == timezone.localdate().isoformat()
    # The device forgets the list when the day ends.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert dt.datetime.fromisoformat(data["expires_at"]) == timezone.make_aware(
        dt.datetime.combine(tomorrow, dt.time.min)
    )


def test_day_list_photos_are_small(desk, event):
    badge_for(approved_request(event))

    photo = desk.get(reverse("checkin:day_list"), **JSON).json()["badges"][0]["photo"]

    assert len(photo) < 20_000


def test_day_list_says_who_already_came(desk, event):
    badge = badge_for(approved_request(event))
    desk.post(reverse("checkin:scan"), {"code": badge.code, "desk": "A"}, **JSON)

    entry = desk.get(reverse("checkin:day_list"), **JSON).json()["badges"][0]

    assert entry["checked_in_at"] == CheckIn.objects.get().at.isoformat()
    assert entry["checked_in_desk"] == "A"


@pytest.mark.parametrize("group", [permissions.VIEWER, permissions.ACCREDITATION_REVIEWER])
def test_day_list_refused_to_others(client, event, group):
    badge_for(approved_request(event))
    client.force_login(_user(group))

    response = client.get(reverse("checkin:day_list"), **JSON)

    assert response.status_code == 403
    assert "badges" not in response.json()


def test_day_list_anonymous_is_refused(client, event):
    assert client.get(reverse("checkin:day_list"), **JSON).status_code == 403


def test_sync_records_offline_scans_with_device_time(desk, event):
    badge = badge_for(approved_request(event))
    at = timezone.now() - dt.timedelta(minutes=3)

    response = _sync(
        desk, [{"code": badge.code, "nonce": "n1", "scanned_at": at.isoformat(), "desk": "B"}]
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"nonce": "n1", "result": "ok", "conflict": False, "name": badge.badge_request.full_name}
    ]
    check_in = CheckIn.objects.get()
    assert (check_in.at, check_in.desk, check_in.offline) == (at, "B", True)
    scan = Scan.objects.get()
    assert (scan.offline, scan.device_at, scan.nonce) == (True, at, "n1")


def test_sync_is_idempotent_by_nonce(desk, event):
    badge = badge_for(approved_request(event))
    scans = [{"code": badge.code, "nonce": "n1", "scanned_at": timezone.now().isoformat()}]

    first = _sync(desk, scans).json()
    again = _sync(desk, scans).json()

    assert first == again
    assert Scan.objects.count() == 1
    assert CheckIn.objects.count() == 1


def test_sync_two_devices_keep_the_first_by_device_time_and_list_the_conflict(desk, event):
    badge = badge_for(approved_request(event))
    now = timezone.now()
    if timezone.localdate(now - dt.timedelta(minutes=10)) != timezone.localdate(now):
        pytest.skip("just after midnight: both scans must fall on one day")
    late = {"code": badge.code, "nonce": "b", "desk": "B"}
    late["scanned_at"] = (now - dt.timedelta(minutes=2)).isoformat()
    early = {"code": badge.code, "nonce": "a", "desk": "A"}
    early["scanned_at"] = (now - dt.timedelta(minutes=9)).isoformat()

    _sync(desk, [late])
    _sync(desk, [early])

    assert CheckIn.objects.get().desk == "A"
    assert list(Scan.objects.filter(conflict=True).values_list("desk", flat=True)) == ["B"]
    officer = _user(permissions.PRESS_OFFICER)
    desk.force_login(officer)
    page = desk.get(reverse("checkin:lists", args=["conflicts"]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert badge.badge_request.full_name in page.content.decode()


def test_sync_bad_entries_get_a_message_and_change_nothing(desk, event):
    badge = badge_for(approved_request(event))

    response = _sync(
        desk,
        [
            "nonsense",
            {"code": badge.code, "nonce": "n1"},
            {"code": "", "nonce": "n2", "scanned_at": timezone.now().isoformat()},
            {"code": badge.code, "nonce": "n3", "scanned_at": "yesterday-ish"},
        ],
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["error"] for row in results] == ["bad_scan"] * 4
    assert results[1]["message"] == "A scan needs its code, its nonce and the time it was made."
    assert Scan.objects.count() == 0
    assert CheckIn.objects.count() == 0


def test_sync_not_json_is_refused(desk):
    response = desk.post(
        reverse("checkin:sync"),
        "not json",
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert (
        response.json()["message"] == "La demande de synchronisation n’est pas une liste de scans."
    )


def test_sync_too_many_scans_is_refused(desk):
    scans = [
        {"code": "x", "nonce": str(n), "scanned_at": "2024-03-20T10:00:00+01:00"}
        for n in range(501)
    ]
    response = _sync(desk, scans)

    assert response.status_code == 400
    assert response.json()["error"] == "too_many"
    assert Scan.objects.count() == 0


def test_sync_refused_to_others(client, event):
    badge = badge_for(approved_request(event))
    client.force_login(_user(permissions.VIEWER))
    scans = [{"code": badge.code, "nonce": "n", "scanned_at": timezone.now().isoformat()}]

    assert _sync(client, scans).status_code == 403
    assert Scan.objects.count() == 0


def test_manifest_and_service_worker(desk):
    manifest = desk.get(reverse("checkin:manifest"), HTTP_ACCEPT_LANGUAGE="fr")
    worker = desk.get(reverse("checkin:service_worker"))

    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["start_url"] == reverse("checkin:scan")
    assert data["scope"] == reverse("checkin:scan")
    assert data["name"] == "Presse – accueil des journalistes"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    assert worker["Content-Type"] == "application/javascript"
    body = worker.content.decode()
    assert f'"{reverse("checkin:scan")}"' in body
    assert "/static/checkin/desk.js" in body


def test_manifest_and_service_worker_refused_to_others(client):
    client.force_login(_user(permissions.VIEWER))

    assert client.get(reverse("checkin:manifest")).status_code == 403
    assert client.get(reverse("checkin:service_worker")).status_code == 403


def test_logged_out_page_forgets_the_device_copy(client):
    client.force_login(_user(permissions.CHECKIN_DESK))

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "checkin/forget.js" in response.content.decode()
