"""Two reviewers approving at the same moment never exceed a limit (PostgreSQL only:
SQLite has no row locks, it serialises every write transaction instead)."""

import threading
import time

import pytest
from django.db import connection, connections

from press.accreditation import decisions
from press.accreditation.decisions import accreditation_approve
from press.accreditation.errors import AccreditationError
from press.accreditation.models import BadgeRequest, BadgeRequestState
from tests.factories import EventFactory, UserFactory
from tests.factories.accreditation import BadgeRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_approvals_respect_press_capacity(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    checked = decisions._check_capacity

    def slow_check(*args):
        # Widen the gap between counting and saving, where a race would slip in.
        checked(*args)
        time.sleep(0.3)

    monkeypatch.setattr(decisions, "_check_capacity", slow_check)
    event = EventFactory(press_capacity=1, per_outlet_limit=0)
    requests = BadgeRequestFactory.create_batch(2, event=event)
    reviewers = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    start = threading.Barrier(2)
    refusals = []

    def approve(badge_request, reviewer):
        try:
            start.wait()
            accreditation_approve(badge_request=badge_request, by=reviewer)
        except AccreditationError as error:
            refusals.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=pair)
        for pair in zip(requests, reviewers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    states = sorted(BadgeRequest.objects.values_list("state", flat=True))
    assert states == [BadgeRequestState.APPROVED, BadgeRequestState.SUBMITTED]
    assert refusals == ["press_capacity"]


def test_simultaneous_withdrawals_promote_each_waiting_journalist_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    from press.accreditation.decisions import accreditation_waitlist, accreditation_withdraw

    event = EventFactory(press_capacity=3, per_outlet_limit=0)
    reviewer = UserFactory(is_staff=True)
    approved = BadgeRequestFactory.create_batch(3, event=event)
    for badge_request in approved:
        accreditation_approve(badge_request=badge_request, by=reviewer)
    waiting = BadgeRequestFactory.create_batch(4, event=event)
    for badge_request in waiting:
        accreditation_waitlist(badge_request=badge_request, by=reviewer)
    start = threading.Barrier(3)

    def withdraw(badge_request):
        try:
            start.wait()
            accreditation_withdraw(badge_request=badge_request)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=withdraw, args=(r,)) for r in approved]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    states = {r.pk: r.state for r in BadgeRequest.objects.filter(event=event)}
    assert [states[r.pk] for r in waiting] == [
        BadgeRequestState.APPROVED,
        BadgeRequestState.APPROVED,
        BadgeRequestState.APPROVED,
        BadgeRequestState.WAITLISTED,
    ]
    assert {states[r.pk] for r in approved} == {BadgeRequestState.WITHDRAWN}
