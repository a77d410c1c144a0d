"""Who is asking: the client's address as the rate limits and the login lockout see it."""

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR (behind a proxy, the proxy must pass the
    client's address there)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
