"""Who is asking: the client's address as the rate limits and the login lockout see it.

Without a proxy in front (DJANGO_TRUSTED_PROXY_COUNT=0, the default) it is the
connection's own address, REMOTE_ADDR, and X-Forwarded-For is ignored: anyone can send
that header, and trusting it would let one client pose as many and slip past every
limit. Behind N proxies of ours, each appends the address it received the request from
to X-Forwarded-For, so the client is the Nth entry counted from the right; whatever
stands further left was written by the client and is never used.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or, behind DJANGO_TRUSTED_PROXY_COUNT proxies,
    the address the outermost of them saw. A header with fewer entries than proxies, or
    an entry that is not an address, means the request did not come through all of
    them: the connection's address is used."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    return _address(forwarded[-count]) or remote


def axes_client_address(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: the same address as the rate limits, or None
    when the request carries none (axes stores it in an address column, which PostgreSQL
    checks)."""
    return _address(client_address(request))
