"""Pages every area shares: the error pages in the URL's language, with the site's
header."""

import logging

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

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
