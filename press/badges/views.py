"""The badges office pages: print every approved badge not printed yet, print chosen
badges (with a warning before a reprint). Staff with the "print badges" permission
only (press officers and accreditation reviewers)."""

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from press.badges.errors import BadgeError
from press.badges.forms import PrintPendingForm, PrintSelectedForm
from press.badges.models import Badge
from press.badges.printing import badges_print
from press.badges.selectors import badges_printable
from press.events.selectors import current_event

PRINT_PERMISSION = "badges.print_badge"


def can_print(user: Any) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(PRINT_PERMISSION))


def print_permission_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors go to the login page; staff without the permission get 403."""

    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_print(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def pdf_response(request: HttpRequest, badges: list[Badge], layout: str) -> HttpResponseBase:
    """Print the badges as one PDF, recorded as printed by the user, streamed from a
    temporary file (the document is never held in memory a second time)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse closes it
    try:
        badges_print(badges=badges, by=request.user, out=out, layout=layout)  # type: ignore[arg-type]
    except BaseException:
        out.close()
        raise
    out.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"badge-{badges[0].badge_request.last_name}" if len(badges) == 1 else "badges"
    response = FileResponse(
        out, as_attachment=True, filename=f"{name}-{stamp}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@print_permission_required
def print_pending(request: HttpRequest) -> HttpResponseBase:
    """GET: how many approved badges wait to be printed, per event and layout; POST:
    print them all as one PDF."""
    data = request.POST if request.method == "POST" else request.GET
    form = PrintPendingForm(data or None)
    if form.is_bound:
        form.is_valid()
        # A valid event still shows its badges when only the layout was wrong.
        event = form.cleaned_data.get("event")
    else:
        event = current_event()
    pending = list(badges_printable(event=event)) if event else []
    if request.method == "POST" and form.is_valid():
        if not pending:
            messages.error(request, _("Every approved badge of this event is already printed."))
        else:
            return pdf_response(request, pending, form.cleaned_data["layout"])
    return render(
        request,
        "badges/print.html",
        {"form": form, "event": event, "pending": pending, "title": _("Print badges")},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_POST
@print_permission_required
def print_selected(request: HttpRequest) -> HttpResponseBase:
    """Print the chosen badges as one PDF; when some were printed before, first a page
    that says when and by whom and asks to confirm."""
    form = PrintSelectedForm(request.POST)
    return print_or_confirm(request, form)


def print_or_confirm(request: HttpRequest, form: PrintSelectedForm) -> HttpResponseBase:
    back = request.POST.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("admin:badges_badge_changelist")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    badges = sorted(
        form.cleaned_data["badge"],
        key=lambda b: (b.badge_request.last_name, b.badge_request.first_name, b.pk),
    )
    layout = form.cleaned_data["layout"]
    printed = [badge for badge in badges if badge.printed_at is not None]
    if printed and not form.cleaned_data["confirm"]:
        return render(
            request,
            "badges/confirm_reprint.html",
            {
                "title": ngettext(
                    "This badge was already printed",
                    "Some of these badges were already printed",
                    len(printed),
                ),
                "badges": badges,
                "printed": printed,
                "layout": layout,
                "next": back,
            },
        )
    try:
        return pdf_response(request, badges, layout)
    except BadgeError as error:
        messages.error(request, error.message)
        return redirect(back)
