"""The client address behind proxies: X-Forwarded-For counted from the right, and only
when DJANGO_TRUSTED_PROXY_COUNT says proxies stand in front."""

import pytest
from django.test import RequestFactory

from press.core.clients import client_address


def _request(remote="10.0.0.2", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(_request(forwarded="203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 198.51.100.1, 203.0.113.9", "198.51.100.1"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
    ],
)
def test_client_is_counted_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_address(_request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.9", "not-an-address, 1.2.3.4"])
def test_a_short_or_forged_header_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_address(_request(forwarded=forwarded)) == "10.0.0.2"


def test_axes_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1

    assert get_client_ip_address(_request(forwarded="203.0.113.9")) == "203.0.113.9"
