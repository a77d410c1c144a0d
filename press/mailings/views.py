"""The public side of mailings: the preference page behind every email's personal
link, where a journalist changes what they receive or unsubscribes."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contacts.forms import PreferencesForm
from contacts.subscriptions import preferences_update
from press.events.selectors import current_event
from press.mailings.models import Delivery
from press.mailings.tracking import delivery_unsubscribe

PREFERENCES_ACTION = "preferences"


def _initial_choices(journalist) -> dict:
    return {
        "wants_releases": journalist.wants_releases,
        "wants_invitations": journalist.wants_invitations,
        "language": journalist.language,
        "topics": list(journalist.topics.all()),
    }


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The preference page. GET shows the journalist's choices and an "unsubscribe from
    everything" button (a link scanner changes nothing); POST with the preferences
    action saves the choices; any other POST, from the button or a mail client's
    one-click, unsubscribes. The page is in the language of the link, which is the
    journalist's."""
    delivery = (
        Delivery.objects.select_related("journalist", "mailing__event")
        .filter(unsubscribe_token=token)
        .first()
    )
    if delivery is None:
        # An old, cut or mistyped link: say so in the reader's language, change nothing.
        event = current_event()
        return render(
            request,
            "mailings/unsubscribe.html",
            {"unknown": True, "press_email": event.press_email if event else ""},
            status=404,
        )
    journalist = delivery.journalist
    saved = done = False
    form = None
    if request.method == "POST" and request.POST.get("action") == PREFERENCES_ACTION:
        if journalist is not None and not journalist.is_suppressed:
            form = PreferencesForm(request.POST)
            if form.is_valid():
                preferences_update(journalist=journalist, **form.choices())
                saved = True
    elif request.method == "POST":
        delivery = delivery_unsubscribe(delivery=delivery)
        journalist = delivery.journalist
        done = True
    already = not done and journalist is not None and journalist.is_suppressed
    if form is None and journalist is not None and not journalist.is_suppressed:
        form = PreferencesForm(initial=_initial_choices(journalist))
    return render(
        request,
        "mailings/unsubscribe.html",
        {
            "delivery": delivery,
            "form": form,
            "saved": saved,
            "done": done,
            "already": already,
            "action": PREFERENCES_ACTION,
            "press_email": delivery.mailing.event.press_email if delivery.mailing.event else "",
        },
    )
