"""Pages every area shares: the error pages in the URL's language, with the site's
header, and the health endpoint load balancers poll."""

import logging

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def too_many_requests(request, *, retry_after: int | None = None) -> HttpResponse:
    """The 429 page, for the views whose rate limit is passed (press.core.ratelimit)."""
    response = render(request, "429.html", status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def server_error(request):
    """The 500 page with the site's header; a bare page when even that fails (the
    header reads the current event, and the database may be what broke)."""
    try:
        return HttpResponseServerError(render_to_string("500.html", request=request))
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(
            render_to_string("500_bare.html"), content_type="text/html; charset=utf-8"
        )


_expected_migrations: set[tuple[str, str]] | None = None


def _expected() -> set[tuple[str, str]]:
    """The latest migration of each app, read from the code once per process."""
    global _expected_migrations
    if _expected_migrations is None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        _expected_migrations = set(loader.graph.leaf_nodes())
    return _expected_migrations


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers and every migration of the
    code is applied; 503 otherwise, saying what is wrong. One small query per call."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        logger.warning("Health check: database unreachable: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    missing = sorted(f"{app}.{name}" for app, name in _expected() - applied)
    if missing:
        return JsonResponse(
            {"status": "error", "database": "ok", "migrations_pending": missing}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})
