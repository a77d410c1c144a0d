"""The desk page checkin:scan and its neighbours: the JSON contract, the page without
JavaScript, holds, the name search, the photo, who may use them."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from press import permissions
from press.badges.enums import BadgeState
from press.checkin.models import CheckIn, Hold, Scan
from tests.factories import UserFactory
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _user(group=None, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def desk(client):
    user = _user(permissions.CHECKIN_DESK, username="desk", first_name="Tom", last_name="Peeters")
    client.force_login(user)
    client.cookies["presse_desk"] = "Entrée A"
    return client


@pytest.fixture
def badge():
    return badge_for(
        approved_request(
            event_today(), first_name="Zoë", last_name="O'Brien", outlet_name="Le Soir"
        )
    )


def _scan(client, code, **extra):
    return client.post(reverse("checkin:scan"), {"code": code, **extra}, **JSON)


def test_scan_ok_answers_the_contract(desk, badge):
    response = _scan(desk, badge.code, nonce="abc")

    assert response.status_code == 200
    data = response.json()
    check_in = CheckIn.objects.get()
    assert data["result"] == "ok"
    assert data["name"] == "Zoë O'Brien"
    assert data["outlet"] == "Le Soir"
    assert data["photo_url"] == reverse("checkin:photo", args=[badge.badge_request_id])
    assert data["checked_in_at"] == check_in.at.isoformat()
    assert data["today_ok"] is True
    assert data["days"] == [check_in.day.isoformat()]
    assert check_in.desk == "Entrée A"
    assert Scan.objects.get().nonce == "abc"


def test_scan_already_says_when_by_whom_and_desk(desk, badge):
    _scan(desk, badge.code)

    data = _scan(desk, badge.code).json()

    assert data["result"] == "already"
    assert data["checked_in_at"] is None
    assert data["already"]["by"] == "Tom Peeters"
    assert data["already"]["desk"] == "Entrée A"
    assert data["already"]["at"] == CheckIn.objects.get().at.isoformat()


def test_scan_retried_nonce_answers_the_same(desk, badge):
    first = _scan(desk, badge.code, nonce="n1").json()
    again = _scan(desk, badge.code, nonce="n1").json()

    assert first == again
    assert Scan.objects.count() == 1


def test_scan_unknown_code(desk):
    data = _scan(desk, "nothing-like-a-code").json()

    assert data["result"] == "unknown"
    assert data["name"] is None
    assert CheckIn.objects.count() == 0


def test_scan_not_approved_says_its_state(desk, badge):
    badge.badge_request.state = "waitlisted"
    badge.badge_request.save(update_fields=["state"])

    with translation.override("en"):
        data = _scan(desk, badge.code, HTTP_ACCEPT_LANGUAGE="en").json()

    assert data["result"] == "not_approved"
    assert data["state"] == "waitlisted"


def test_scan_replaced_code(desk, badge):
    badge.state = BadgeState.REPLACED
    badge.save(update_fields=["state"])

    data = _scan(desk, badge.code).json()

    assert (data["result"], data["replaced"]) == ("revoked", True)


def test_scan_answers_in_the_desks_language(client, badge):
    user = _user(permissions.CHECKIN_DESK)
    client.force_login(user)

    fr = client.post(
        reverse("checkin:scan"),
        {"code": "x"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    ).json()
    en = client.post(
        reverse("checkin:scan"),
        {"code": "x"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()

    assert fr["headline"] == "Code inconnu"
    assert en["headline"] == "Unknown code"


def test_scan_without_code_is_refused_and_records_nothing(desk):
    response = desk.post(
        reverse("checkin:scan"),
        {"code": "  "},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"error": "no_code", "message": "Scan or type a badge code."}
    assert Scan.objects.count() == 0


def test_scan_without_javascript_answers_a_page(desk, badge):
    response = desk.post(reverse("checkin:scan"), {"code": badge.code}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "OK: hand over the badge" in body
    assert "Zoë O&#x27;Brien" in body
    assert "answer-ok" in body
    assert CheckIn.objects.count() == 1


def test_scan_page_renders_for_the_desk(desk):
    response = desk.get(reverse("checkin:scan"), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="code"' in body and "autofocus" in body
    assert reverse("checkin:manifest") in body
    assert "<script>" not in body and " style=" not in body


@pytest.mark.parametrize(
    "language, one, many",
    [
        (
            "fr",
            "Liste de %(time)s\u202f: %(count)d badge",
            "Liste de %(time)s\u202f: %(count)d badges",
        ),
        ("en", "List of %(time)s: %(count)d badge", "List of %(time)s: %(count)d badges"),
    ],
)
def test_the_page_gives_its_script_each_counted_form(desk, language, one, many):
    body = desk.get(reverse("checkin:scan"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    zero = one if language == "fr" else many  # French counts 0 in the singular
    assert f'data-str-list-zero="{zero}"' in body
    assert f'data-str-list-one="{one}"' in body
    assert f'data-str-list-many="{many}"' in body
    assert "data-str-list=" not in body


def test_scan_anonymous_page_goes_to_login(client):
    response = client.get(reverse("checkin:scan"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_scan_anonymous_json_is_403(client, badge):
    response = _scan(client, badge.code)

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert Scan.objects.count() == 0


@pytest.mark.parametrize("group", [permissions.ACCREDITATION_REVIEWER, permissions.VIEWER, None])
def test_scan_staff_without_the_permission_get_403(client, badge, group):
    client.force_login(_user(group))

    json_answer = _scan(client, badge.code)
    page = client.get(reverse("checkin:scan"))

    assert json_answer.status_code == 403
    assert json_answer.json()["error"] == "forbidden"
    assert page.status_code == 403
    assert Scan.objects.count() == 0


def test_scan_press_officer_may_scan(client, badge):
    client.force_login(_user(permissions.PRESS_OFFICER))

    assert _scan(client, badge.code).json()["result"] == "ok"


def test_scan_non_staff_with_the_permission_is_refused(client, badge):
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name=permissions.CHECKIN_DESK))
    client.force_login(user)

    assert _scan(client, badge.code).status_code == 403


def test_hold_with_a_note_and_the_next_scan_says_held(desk, badge):
    response = desk.post(
        reverse("checkin:hold"),
        {"badge_request": badge.badge_request_id, "note": "Press card expired"},
        **JSON,
    )

    assert response.status_code == 200
    hold = Hold.objects.get()
    assert (hold.note, hold.desk, hold.created_by.username) == (
        "Press card expired",
        "Entrée A",
        "desk",
    )
    data = _scan(desk, badge.code).json()
    assert data["held"]["note"] == "Press card expired"
    assert data["tone"] == "hold"
    assert CheckIn.objects.count() == 0


def test_hold_without_note_is_refused(desk, badge):
    response = desk.post(
        reverse("checkin:hold"),
        {"badge_request": badge.badge_request_id, "note": ""},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Write a note for the press office."
    assert Hold.objects.count() == 0


def test_hold_of_no_request_is_refused(desk):
    response = desk.post(reverse("checkin:hold"), {"badge_request": "x", "note": "n"}, **JSON)

    assert response.status_code == 400
    assert Hold.objects.count() == 0


def test_hold_refused_to_others(client, badge):
    client.force_login(_user(permissions.VIEWER))

    response = client.post(
        reverse("checkin:hold"), {"badge_request": badge.badge_request_id, "note": "n"}, **JSON
    )

    assert response.status_code == 403
    assert Hold.objects.count() == 0


def test_search_by_name_then_check_in_without_the_code(desk, badge):
    found = desk.get(reverse("checkin:search"), {"q": "brien"}, **JSON).json()

    assert [row["name"] for row in found["results"]] == ["Zoë O'Brien"]
    assert found["results"][0]["can_scan"] is True
    data = desk.post(
        reverse("checkin:scan"), {"badge_request": found["results"][0]["badge_request"]}, **JSON
    ).json()
    assert data["result"] == "ok"
    assert Scan.objects.get().code == badge.code


def test_search_page_without_javascript(desk, badge):
    response = desk.get(reverse("checkin:search"), {"q": "Soir"})

    assert response.status_code == 200
    assert "Zoë O&#x27;Brien" in response.content.decode()


def test_search_refused_to_others(client):
    client.force_login(_user(permissions.VIEWER))

    assert client.get(reverse("checkin:search"), {"q": "ab"}, **JSON).status_code == 403


def test_photo_for_the_desk_only(desk, client, badge):
    response = desk.get(reverse("checkin:photo", args=[badge.badge_request_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"

    desk.logout()
    assert client.get(reverse("checkin:photo", args=[badge.badge_request_id])).status_code == 302
    client.force_login(_user(permissions.VIEWER))
    assert client.get(reverse("checkin:photo", args=[badge.badge_request_id])).status_code == 403


def test_photo_missing_is_404(desk, badge):
    badge.badge_request.photo = ""
    badge.badge_request.save(update_fields=["photo"])

    assert desk.get(reverse("checkin:photo", args=[badge.badge_request_id])).status_code == 404


def test_desk_name_is_kept_in_a_cookie(desk):
    response = desk.post(reverse("checkin:desk"), {"desk": "  Sortie B  "})

    assert response.status_code == 302
    assert response.cookies["presse_desk"].value == "Sortie B"


def test_desk_only_user_lands_on_the_desk_after_login(desk):
    response = desk.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("checkin:scan")


def test_officer_keeps_the_back_office_index(client):
    client.force_login(_user(permissions.PRESS_OFFICER))

    assert client.get("/admin/").status_code == 200


def test_anonymous_admin_index_goes_to_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Session, user, and whether the user (or one of their groups) may check in, in one
# query: before the scan itself.
REQUEST_QUERIES = 3
# Savepoint, the badge with its request (locked) and event read by its code, the badge's
# state read after the lock (with its hold, its check-in of the day and the nonce's
# earlier scan in the same query), the check-in and the scan written, release. (The
# savepoint and its release are the test's: in production the scan is the transaction.)
SCAN_OK_QUERIES = REQUEST_QUERIES + 6


def test_an_ok_scan_costs_a_fixed_handful_of_queries(desk, badge, django_assert_num_queries):
    _scan(desk, "warm-up")  # content types and the session's first read
    with django_assert_num_queries(SCAN_OK_QUERIES):
        assert _scan(desk, badge.code, nonce="first").json()["result"] == "ok"


def test_an_already_scan_reads_the_check_in_once(desk, badge, django_assert_num_queries):
    _scan(desk, badge.code, nonce="first")
    # No check-in to write; the day's check-in (with who let them in) read instead.
    with django_assert_num_queries(SCAN_OK_QUERIES):
        data = _scan(desk, badge.code, nonce="second").json()
    assert data["result"] == "already"
    assert data["already"]["by"] == "Tom Peeters"


def test_an_ok_scan_checks_the_desk_permission_in_one_query(desk, badge):
    _scan(desk, "warm-up")
    with CaptureQueriesContext(connection) as queries:
        _scan(desk, badge.code, nonce="first")
    permission_reads = [q["sql"] for q in queries if "auth_permission" in q["sql"]]
    assert len(permission_reads) == 1


def test_an_unknown_code_is_one_look_up_and_one_scan(desk, django_assert_num_queries):
    _scan(desk, "warm-up")
    with django_assert_num_queries(REQUEST_QUERIES + 4):
        assert _scan(desk, "no-such-code", nonce="n").json()["result"] == "unknown"


def _img_src(response):
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["img-src"].split()


def test_desk_page_may_show_the_offline_list_photos_as_data_urls(desk):
    assert "data:" in _img_src(desk.get(reverse("checkin:scan")))


def test_other_desk_pages_keep_the_site_image_policy(desk):
    assert "data:" not in _img_src(desk.get(reverse("checkin:lists", args=["arrived"])))


def test_a_scan_reads_by_unique_keys_without_sorting(desk, badge):
    # Sorted by the models' default order, the read after the lock would walk every
    # check-in of the day by time to find this badge's.
    _scan(desk, "warm-up")
    with CaptureQueriesContext(connection) as queries:
        _scan(desk, badge.code, nonce="first")
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and "badges_badge" in q["sql"]
    ]
    assert len(reads) == 2
    assert all("ORDER BY" not in sql for sql in reads)
