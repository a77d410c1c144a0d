"""Public accreditation pages (request form, status page) and the private file view."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from press.accreditation.decisions import accreditation_withdraw
from press.accreditation.emails import badge_pickup
from press.accreditation.errors import AccreditationError
from press.accreditation.forms import (
    BadgeRequestForm,
    initial_from_invitation,
    initial_from_request,
    initial_from_returning,
)
from press.accreditation.invitations import invitation_find, invitation_followed
from press.accreditation.kept import upload_forget
from press.accreditation.models import BadgeRequest, BadgeRequestState
from press.accreditation.privacy import document_may_open
from press.accreditation.requests import (
    PRIVACY_NOTICE_VERSION,
    Submission,
    badge_request_by_token,
    badge_request_submit,
    badge_request_update,
)
from press.accreditation.selectors import (
    note_to_journalist,
    returning_request,
    status_stage,
    waitlist_place,
)
from press.core.clients import client_address
from press.core.ratelimit import rate_limit_hit
from press.events.selectors import current_event

RATE_WINDOW_SECONDS = 3600
DOCUMENT_LABELS = {
    "photo": gettext_lazy("photo"),
    "press_card": gettext_lazy("press card"),
    "letter": gettext_lazy("letter of assignment"),
}


KEPT_SESSION_KEY = "accreditation_kept_uploads"


def _kept_tokens(request) -> list[str]:
    return list(request.session.get(KEPT_SESSION_KEY, []))


def _keep_uploads(request, form) -> None:
    """The form failed: keep its good files for this session (press.accreditation.kept).
    When the private store cannot be written (a full disk), nothing is kept: the
    journalist chooses the files again."""
    try:
        kept = form.keep_uploads()
    except OSError:
        return
    tokens = _kept_tokens(request) + kept
    request.session[KEPT_SESSION_KEY] = tokens[-12:]


def _forget_uploads(request, form) -> None:
    """The request is sent: its kept files have been copied to it."""
    used = form.kept_tokens_used()
    for token in used:
        upload_forget(token=token)
    request.session[KEPT_SESSION_KEY] = [t for t in _kept_tokens(request) if t not in used]


def _rate_limited(request) -> bool:
    """Count this submission against its address; True once over the hourly limit."""
    return rate_limit_hit(
        scope="accreditation-form",
        client=client_address(request),
        limit=settings.ACCREDITATION_SUBMISSIONS_PER_HOUR,
        window_seconds=RATE_WINDOW_SECONDS,
    )


def request_form(request):
    event = current_event()
    if event is None or not event.accreditation_is_open():
        return render(request, "accreditation/closed.html", {"event": event, "now": timezone.now()})
    token = request.GET.get("invitation", "")
    invitation = invitation_find(token=token, event=event) if token else None
    # Recognised by the invitation sent to their address: a journalist accredited at
    # an earlier edition.
    returning = returning_request(email=invitation.email, event=event) if invitation else None
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "accreditation/too_many.html", {"event": event}, status=429)
        form = BadgeRequestForm(
            request.POST,
            request.FILES,
            event=event,
            invitation=invitation,
            returning=returning,
            kept_tokens=_kept_tokens(request),
        )
        if form.is_valid():
            try:
                _badge_request, outcome = badge_request_submit(
                    event=event,
                    email=form.cleaned_data["email"],
                    values=form.values(),
                    files=form.files_cleaned(),
                    field_visits=form.visits(),
                    language=get_language(),
                    invitation=invitation,
                )
            except AccreditationError as error:
                form.add_error(None, error.message)
                # The files could not be stored: the service, not the form, failed.
                status = 503 if error.code == "storage_unavailable" else 200
            else:
                _forget_uploads(request, form)
                request.session["accreditation_submission"] = outcome
                return redirect("accreditation:submitted")
        _keep_uploads(request, form)
    else:
        initial = {}
        if invitation:
            invitation_followed(delivery=invitation)
            initial = initial_from_invitation(invitation)
        if returning:
            initial = {**initial, **initial_from_returning(returning)}
        form = BadgeRequestForm(
            initial=initial, event=event, invitation=invitation, returning=returning
        )
    return render(
        request,
        "accreditation/request.html",
        {
            "event": event,
            "form": form,
            "invitation": invitation,
            "returning": returning,
            "invitation_invalid": bool(token) and invitation is None,
        },
        status=status,
    )


def submitted(request):
    outcome = request.session.pop("accreditation_submission", Submission.CREATED)
    return render(
        request,
        "accreditation/submitted.html",
        {
            "event": current_event(),
            "link_sent": outcome == Submission.LINK_SENT,
        },
    )


def privacy(request):
    return render(
        request,
        "accreditation/privacy.html",
        {"event": current_event(), "version": PRIVACY_NOTICE_VERSION},
    )


def status(request, token):
    badge_request = badge_request_by_token(token)
    if badge_request is None:
        raise Http404
    form = None
    if badge_request.is_editable:
        if request.method == "POST":
            form = BadgeRequestForm(
                request.POST,
                request.FILES,
                event=badge_request.event,
                badge_request=badge_request,
                kept_tokens=_kept_tokens(request),
            )
            if form.is_valid():
                try:
                    badge_request_update(
                        badge_request=badge_request,
                        values=form.values(),
                        files=form.files_cleaned(),
                        field_visits=form.visits(),
                    )
                except AccreditationError as error:
                    form.add_error(None, error.message)
                else:
                    _forget_uploads(request, form)
                    messages.success(request, _("Your request has been updated."))
                    return redirect("accreditation:status", token=token)
            _keep_uploads(request, form)
        else:
            form = BadgeRequestForm(
                initial=initial_from_request(badge_request),
                event=badge_request.event,
                badge_request=badge_request,
            )
    return render(
        request,
        "accreditation/status.html",
        {
            "event": badge_request.event,
            "badge_request": badge_request,
            "visits": badge_request.field_visits.all(),
            "documents": [DOCUMENT_LABELS[kind] for kind in badge_request.documents()],
            "form": form,
            "stage": status_stage(badge_request),
            "note": note_to_journalist(badge_request),
            "waitlist_place": waitlist_place(badge_request),
            **(
                badge_pickup(event=badge_request.event, language=get_language())
                if badge_request.state == BadgeRequestState.APPROVED
                else {}
            ),
        },
    )


@require_POST
def withdraw(request, token):
    badge_request = badge_request_by_token(token)
    if badge_request is None:
        raise Http404
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that you withdraw your request."))
        return redirect("accreditation:status", token=token)
    try:
        accreditation_withdraw(
            badge_request=badge_request, note=request.POST.get("note", "")[:1000]
        )
    except AccreditationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("accreditation:status", token=token)


@login_required
def private_file(request, pk, kind):
    """A badge request's photo, press card or letter, for staff allowed to open it
    (press.accreditation.privacy.document_may_open: viewers see photos only).

    Only photos open in the browser: they were re-encoded from their pixels when
    received. Press cards and letters always download (those stored before they were
    re-encoded cannot be told apart), and every file comes with nosniff and a sandbox
    policy, so nothing in it runs with the back office's rights."""
    if kind not in DOCUMENT_LABELS:
        raise Http404
    if not document_may_open(user=request.user, kind=kind):
        raise PermissionDenied
    badge_request = get_object_or_404(BadgeRequest, pk=pk)
    file = getattr(badge_request, kind)
    if not file or not file.storage.exists(file.name):
        raise Http404
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    disposition = "inline" if kind == "photo" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{kind}{_suffix(file.name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""
