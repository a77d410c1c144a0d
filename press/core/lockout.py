"""The page a back-office login gets once django-axes has locked it out
(AXES_LOCKOUT_CALLABLE): HTTP 429 in the user's language, saying how long the lockout
lasts and whom to write to, instead of axes' one line of English."""

import datetime as dt
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def duration_text(delta: dt.timedelta) -> str:
    """'1 hour', '2 hours', '30 minutes' (minutes rounded up), in the current language."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    response = render(
        request,
        "core/lockout.html",
        {
            "duration": duration_text(cool_off) if cool_off else "",
            # Whom to write to; the page falls back to the current event's press office.
            "contact_email": settings.PRESS_OFFICE_EMAIL,
        },
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
