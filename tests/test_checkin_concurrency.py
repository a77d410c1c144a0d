"""Two desks scanning one badge at the same moment make one check-in (PostgreSQL only:
SQLite has no row locks, it serialises every write transaction instead)."""

import threading
import time

import pytest
from django.db import connection, connections

from press.checkin import scanning
from press.checkin.models import CheckIn, Scan
from press.checkin.scanning import checkin_scan
from tests.factories import UserFactory
from tests.factories.checkin import approved_request, badge_for, event_today

pytestmark = pytest.mark.django_db(transaction=True)


def _run_together(target, arguments):
    start = threading.Barrier(len(arguments))
    answers = []

    def run(*args):
        try:
            start.wait()
            answers.append(target(*args))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _slow_lookup(monkeypatch):
    looked_up = scanning.badge_read_after_lock

    def slow(*args, **kwargs):
        # Widen the gap between looking for today's check-in and making one.
        found = looked_up(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(scanning, "badge_read_after_lock", slow)


def test_simultaneous_scans_of_one_badge_make_one_check_in(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    _slow_lookup(monkeypatch)
    badge = badge_for(approved_request(event_today()))
    desks = [UserFactory(is_staff=True), UserFactory(is_staff=True)]

    answers = _run_together(
        lambda user, desk: checkin_scan(code=badge.code, by=user, desk=desk).result,
        [(desks[0], "A"), (desks[1], "B")],
    )

    assert sorted(answers) == ["already", "ok"]
    assert CheckIn.objects.count() == 1
    assert Scan.objects.count() == 2


def test_simultaneous_retries_of_one_nonce_make_one_scan(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    _slow_lookup(monkeypatch)
    badge = badge_for(approved_request(event_today()))
    user = UserFactory(is_staff=True)

    answers = _run_together(
        lambda nonce: checkin_scan(code=badge.code, by=user, desk="A", nonce=nonce).result,
        [("same",), ("same",)],
    )

    assert answers == ["ok", "ok"]
    assert CheckIn.objects.count() == 1
    assert Scan.objects.count() == 1
