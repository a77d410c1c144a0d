"""The shared rate limit: counted in the database, atomically, per client and window."""

import threading

import pytest
from django.db import connection, connections

from press.core import ratelimit
from press.core.models import RateCount
from press.core.ratelimit import rate_limit_hit


@pytest.mark.django_db
def test_rate_limit_counts_per_client_and_refuses_past_the_limit():
    hits = [
        rate_limit_hit(scope="form", client="192.0.2.1", limit=2, window_seconds=3600)
        for _attempt in range(3)
    ]
    other = rate_limit_hit(scope="form", client="192.0.2.2", limit=2, window_seconds=3600)
    elsewhere = rate_limit_hit(scope="other", client="192.0.2.1", limit=2, window_seconds=3600)

    assert hits == [False, False, True]
    assert (other, elsewhere) == (False, False)


@pytest.mark.django_db
def test_rate_limit_starts_again_in_a_new_window_and_forgets_old_ones(monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 3600 * 10 + 5)
    for _attempt in range(3):
        rate_limit_hit(scope="form", client="a", limit=2, window_seconds=3600)
    monkeypatch.setattr(ratelimit.time, "time", lambda: 3600 * 13 + 5)

    assert rate_limit_hit(scope="form", client="a", limit=2, window_seconds=3600) is False
    assert list(RateCount.objects.values_list("window", "count")) == [(13, 1)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_each_count_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    start = threading.Barrier(8)

    def hit():
        start.wait()
        try:
            rate_limit_hit(scope="race", client="c", limit=100, window_seconds=3600)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert RateCount.objects.get(key="race:c").count == 8
