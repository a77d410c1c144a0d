"""checkin_scan: each answer, one check-in per badge and day, retried nonces, offline
scans synced late, holds."""

import datetime as dt

import pytest
from django.utils import timezone

from press.accreditation.models import BadgeRequestState
from press.badges.enums import BadgeState
from press.checkin.models import CheckIn, Hold, Scan
from press.checkin.scanning import (
    CheckinError,
    checkin_hold,
    checkin_hold_resolve,
    checkin_scan,
)
from tests.factories import UserFactory
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_user():
    return UserFactory(is_staff=True, username="tom", first_name="Tom", last_name="Peeters")


@pytest.fixture
def badge():
    return badge_for(approved_request(event_today(), first_name="Zoë", last_name="O'Brien"))


def test_checkin_scan_valid_badge_checks_in(badge, desk_user):
    answer = checkin_scan(code=badge.code, by=desk_user, desk="Entrée A")

    assert answer.result == "ok"
    check_in = CheckIn.objects.get()
    assert answer.check_in == check_in
    assert (check_in.badge_request, check_in.badge, check_in.day) == (
        badge.badge_request,
        badge,
        timezone.localdate(),
    )
    assert (check_in.by, check_in.desk, check_in.offline) == (desk_user, "Entrée A", False)
    scan = Scan.objects.get()
    assert (scan.result, scan.code, scan.badge, scan.check_in) == (
        "ok",
        badge.code,
        badge,
        check_in,
    )
    assert answer.today_ok is True
    assert answer.days == [timezone.localdate()]


def test_checkin_scan_second_scan_same_day_is_already(badge, desk_user):
    first = checkin_scan(code=badge.code, by=desk_user, desk="A")
    second = checkin_scan(code=badge.code, by=desk_user, desk="B")

    assert second.result == "already"
    assert second.check_in == first.check_in
    assert CheckIn.objects.count() == 1
    assert list(Scan.objects.order_by("pk").values_list("result", flat=True)) == ["ok", "already"]


def test_checkin_scan_another_day_checks_in_again(desk_user):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    badge = badge_for(approved_request(event_today(), days=[yesterday, today]))
    at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(10, 0)))
    first = checkin_scan(code=badge.code, by=desk_user, desk="A", scanned_at=at, offline=True)

    second = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert (first.result, second.result) == ("ok", "ok")
    assert sorted(CheckIn.objects.values_list("day", flat=True)) == [yesterday, today]


def test_checkin_scan_unknown_code(desk_user):
    answer = checkin_scan(code="  not-a-code  ", by=desk_user, desk="A")

    assert answer.result == "unknown"
    assert answer.badge_request is None
    scan = Scan.objects.get()
    assert (scan.result, scan.code, scan.badge) == ("unknown", "  not-a-code  ", None)
    assert CheckIn.objects.count() == 0


def test_checkin_scan_overlong_code_is_unknown_and_stored_cut(desk_user):
    answer = checkin_scan(code="x" * 5000, by=desk_user, desk="A")

    assert answer.result == "unknown"
    assert Scan.objects.get().code == "x" * 200


def test_checkin_scan_code_with_surrounding_spaces_is_found(badge, desk_user):
    assert checkin_scan(code=f" {badge.code}\n", by=desk_user, desk="A").result == "ok"


@pytest.mark.parametrize(
    "state",
    [
        BadgeRequestState.SUBMITTED,
        BadgeRequestState.WAITLISTED,
        BadgeRequestState.REJECTED,
        BadgeRequestState.WITHDRAWN,
        BadgeRequestState.CANCELLED,
    ],
)
def test_checkin_scan_request_not_approved(badge, desk_user, state):
    badge.badge_request.state = state
    badge.badge_request.save(update_fields=["state"])

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert answer.result == "not_approved"
    assert answer.badge_request.state == state
    assert CheckIn.objects.count() == 0


def test_checkin_scan_replaced_code_answers_revoked_replaced(badge, desk_user):
    badge.state = BadgeState.REPLACED
    badge.save(update_fields=["state"])
    badge_for(badge.badge_request)

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert (answer.result, answer.replaced) == ("revoked", True)
    assert CheckIn.objects.count() == 0


def test_checkin_scan_revoked_code(badge, desk_user):
    badge.state = BadgeState.REVOKED
    badge.save(update_fields=["state"])

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert (answer.result, answer.replaced) == ("revoked", False)
    assert CheckIn.objects.count() == 0


def test_checkin_scan_day_not_chosen_is_not_today(desk_user):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    badge = badge_for(approved_request(event_today(), days=[tomorrow]))

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert answer.result == "not_today"
    assert answer.days == [tomorrow]
    assert answer.today_ok is False
    assert CheckIn.objects.count() == 0


def test_checkin_scan_outside_the_event_is_not_today(desk_user):
    from tests.factories import EventFactory
    from tests.factories.accreditation import BadgeRequestFactory

    event = EventFactory()  # in two months
    badge_request = BadgeRequestFactory(event=event, state=BadgeRequestState.APPROVED)
    badge = badge_for(badge_request)

    assert checkin_scan(code=badge.code, by=desk_user, desk="A").result == "not_today"


def test_checkin_scan_no_days_chosen_means_every_day_of_the_event(desk_user):
    badge = badge_for(approved_request(event_today(), days=[]))

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert answer.result == "ok"
    assert len(answer.days) == 3


def test_checkin_scan_retried_nonce_answers_first_answer_and_is_not_a_second_scan(badge, desk_user):
    first = checkin_scan(code=badge.code, by=desk_user, desk="A", nonce="n-1")
    retry = checkin_scan(code=badge.code, by=desk_user, desk="A", nonce="n-1")

    assert (first.result, retry.result) == ("ok", "ok")
    assert retry.check_in == first.check_in
    assert retry.scan == first.scan
    assert Scan.objects.count() == 1
    assert CheckIn.objects.count() == 1


def test_checkin_scan_new_nonce_after_check_in_is_already(badge, desk_user):
    checkin_scan(code=badge.code, by=desk_user, desk="A", nonce="n-1")

    assert checkin_scan(code=badge.code, by=desk_user, desk="A", nonce="n-2").result == "already"
    assert Scan.objects.count() == 2


def test_checkin_scan_retried_nonce_of_unknown_code(desk_user):
    checkin_scan(code="nope", by=desk_user, desk="A", nonce="n-9")
    retry = checkin_scan(code="nope", by=desk_user, desk="A", nonce="n-9")

    assert retry.result == "unknown"
    assert Scan.objects.count() == 1


def test_checkin_scan_overlong_nonce_is_refused_and_records_nothing(badge, desk_user):
    with pytest.raises(CheckinError) as error:
        checkin_scan(code=badge.code, by=desk_user, desk="A", nonce="n" * 65)

    assert error.value.code == "bad_nonce"
    assert Scan.objects.count() == 0
    assert CheckIn.objects.count() == 0


def test_checkin_scan_held_journalist_is_not_checked_in(badge, desk_user):
    hold = checkin_hold(
        badge_request=badge.badge_request, by=desk_user, note="Press card expired", desk="A"
    )

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert answer.result == "ok"
    assert answer.hold == hold
    assert answer.check_in is None
    assert CheckIn.objects.count() == 0
    assert Scan.objects.get().held is True


def test_checkin_scan_after_hold_resolved_checks_in(badge, desk_user):
    hold = checkin_hold(badge_request=badge.badge_request, by=desk_user, note="See the office")
    checkin_hold_resolve(hold=hold, by=desk_user, resolution="Card checked")

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A")

    assert answer.result == "ok"
    assert answer.hold is None
    assert CheckIn.objects.count() == 1


def test_checkin_hold_needs_a_note(badge, desk_user):
    with pytest.raises(CheckinError) as error:
        checkin_hold(badge_request=badge.badge_request, by=desk_user, note="   ")

    assert error.value.code == "no_note"
    assert Hold.objects.count() == 0


def test_checkin_hold_twice_is_refused(badge, desk_user):
    checkin_hold(badge_request=badge.badge_request, by=desk_user, note="One")

    with pytest.raises(CheckinError) as error:
        checkin_hold(badge_request=badge.badge_request, by=desk_user, note="Two")

    assert error.value.code == "on_hold"
    assert Hold.objects.count() == 1


def test_checkin_hold_resolve_twice_is_refused(badge, desk_user):
    hold = checkin_hold(badge_request=badge.badge_request, by=desk_user, note="One")
    checkin_hold_resolve(hold=hold, by=desk_user)

    with pytest.raises(CheckinError) as error:
        checkin_hold_resolve(hold=hold, by=desk_user, resolution="again")

    assert error.value.code == "not_on_hold"
    hold.refresh_from_db()
    assert hold.resolution == ""


def _today_at(hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour, minute)))


def test_checkin_scan_offline_uses_device_time(badge, desk_user):
    at = min(_today_at(0, 5), timezone.now())

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A", scanned_at=at, offline=True)

    assert answer.check_in.at == at
    assert answer.check_in.offline is True
    assert Scan.objects.get().device_at == at


def test_checkin_scan_device_clock_in_the_future_is_taken_as_now(badge, desk_user):
    later = timezone.now() + dt.timedelta(hours=3)

    answer = checkin_scan(code=badge.code, by=desk_user, desk="A", scanned_at=later, offline=True)

    assert answer.check_in.at <= timezone.now()


def test_checkin_scan_offline_earlier_device_time_keeps_first_and_marks_conflict(badge, desk_user):
    now = timezone.now()
    early, late = now - dt.timedelta(seconds=120), now - dt.timedelta(seconds=60)
    if timezone.localdate(early) != timezone.localdate(now):
        pytest.skip("just after midnight: both scans must fall on one day")
    # Desk B syncs first, though desk A admitted the journalist a minute earlier.
    b = checkin_scan(
        code=badge.code, by=desk_user, desk="B", nonce="b", scanned_at=late, offline=True
    )
    a = checkin_scan(
        code=badge.code, by=desk_user, desk="A", nonce="a", scanned_at=early, offline=True
    )

    check_in = CheckIn.objects.get()
    assert (b.result, a.result) == ("ok", "ok")
    assert (check_in.desk, check_in.at, check_in.nonce) == ("A", early, "a")
    assert Scan.objects.get(nonce="b").conflict is True
    assert Scan.objects.get(nonce="a").conflict is False


def test_checkin_scan_offline_later_device_time_is_a_conflict(badge, desk_user):
    now = timezone.now()
    early, late = now - dt.timedelta(seconds=120), now - dt.timedelta(seconds=60)
    if timezone.localdate(early) != timezone.localdate(now):
        pytest.skip("just after midnight: both scans must fall on one day")
    checkin_scan(code=badge.code, by=desk_user, desk="A", nonce="a", scanned_at=early, offline=True)
    b = checkin_scan(
        code=badge.code, by=desk_user, desk="B", nonce="b", scanned_at=late, offline=True
    )

    assert b.result == "already"
    assert CheckIn.objects.get().desk == "A"
    assert Scan.objects.get(nonce="b").conflict is True


def test_checkin_scan_offline_same_desk_twice_is_no_conflict(badge, desk_user):
    checkin_scan(
        code=badge.code, by=desk_user, desk="A", nonce="1", scanned_at=timezone.now(), offline=True
    )
    again = checkin_scan(
        code=badge.code, by=desk_user, desk="A", nonce="2", scanned_at=timezone.now(), offline=True
    )

    assert again.result == "already"
    assert Scan.objects.filter(conflict=True).count() == 0
