"""The public page of a journalist's personal coverage link."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from press.core.ratelimit import rate_limit_hit
from press.coverage.forms import SubmitForm
from press.coverage.invitations import coverage_submit
from press.coverage.items import CoverageError
from press.coverage.models import CoverageInvitation, CoverageItem

# Each submission reads a page on the internet: a link may not become a crawler.
SUBMISSIONS_PER_HOUR = 30


def submit(request, token):
    """Add an article or broadcast by its address; unknown links are 404, an address
    already recorded for the event is refused with a message."""
    invitation = (
        CoverageInvitation.objects.select_related("event", "journalist__outlet")
        .filter(token=token)
        .first()
    )
    if invitation is None or invitation.journalist.erased_at is not None:
        raise Http404
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(
            scope="coverage-submit",
            client=str(invitation.pk),
            limit=SUBMISSIONS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, _("Too many addresses at once; try again in an hour."))
        else:
            try:
                item = coverage_submit(
                    invitation=invitation,
                    url=form.cleaned_data["url"],
                    kind=form.cleaned_data["kind"],
                )
            except CoverageError as error:
                form.add_error("url", error.message)
            else:
                messages.success(
                    request, _("Thank you: “%(headline)s” was added.") % {"headline": item.headline}
                )
                return redirect("coverage:submit", token=token)
    items = CoverageItem.objects.filter(
        event=invitation.event, journalist=invitation.journalist
    ).order_by("-created_at", "-pk")
    return render(
        request,
        "coverage/submit.html",
        {"invitation": invitation, "event": invitation.event, "form": form, "items": items},
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )
