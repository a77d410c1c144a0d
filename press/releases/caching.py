"""The public newsroom's pages, cached per language and address.

A page is stored under a key that carries the newsroom's *state*: a generation that
changes whenever a release (or what a release page shows) is saved or deleted, and the
time of the next scheduled change (a publication time or an embargo's end still to
come). Once that time passes, the next request finds a new key, so an embargo lifts on
the minute without any job running, and an edit shows at once. The state lives in the
default cache (shared by every web server through the database); the pages live in the
"newsroom" cache. Each request costs one read of the state, and a page is rendered
again only after a change.

Only anonymous requests without a session are served from the cache: a staff member's
page (messages, previews) is never stored, and personal links never go through here.
"""

import datetime as dt
import functools
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from press.releases.enums import ReleaseStatus
from press.releases.models import Release

STATE_KEY = "newsroom:state"
PAGE_SECONDS = 600


def _next_change(now: dt.datetime) -> float | None:
    """When the newsroom next changes by itself (a publication or an embargo's end)."""
    upcoming = Release.objects.filter(status__in=ReleaseStatus.may_be_public()).aggregate(
        publish=Min("publish_at", filter=_after("publish_at", now)),
        embargo=Min("embargo_until", filter=_after("embargo_until", now)),
    )
    times = [moment for moment in upcoming.values() if moment is not None]
    return min(times).timestamp() if times else None


def _after(field: str, now: dt.datetime) -> Q:
    return Q(**{f"{field}__gt": now})


def newsroom_state_reset() -> dict:
    """A new generation (every cached page is stale from now on) and the next scheduled
    change, stored for every web server."""
    state = {"generation": secrets.token_hex(8), "next": _next_change(timezone.now())}
    caches["default"].set(STATE_KEY, state, None)
    return state


def newsroom_changed() -> None:
    """Something a public page shows changed: forget every cached page, now and once
    the transaction commits (so that no request caches the old rows meanwhile)."""
    newsroom_state_reset()
    transaction.on_commit(newsroom_state_reset)


def newsroom_state() -> dict:
    state = caches["default"].get(STATE_KEY)
    if state is None or (state["next"] is not None and state["next"] <= timezone.now().timestamp()):
        state = newsroom_state_reset()
    return state


def _cacheable(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def _key(request: HttpRequest, state: dict) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"newsroom:page:{state['generation']}:{translation.get_language()}:{path}"


def newsroom_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public newsroom view from the cache (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        pages = caches["newsroom"]
        key = _key(request, newsroom_state())
        cached = pages.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            pages.set(key, response, PAGE_SECONDS)
        return response

    return wrapper
