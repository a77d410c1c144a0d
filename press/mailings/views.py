"""The public side of mailings: unsubscribing from a personal link."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from press.events.selectors import current_event
from press.mailings.models import Delivery
from press.mailings.tracking import delivery_unsubscribe


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST, from the
    page's button or a mail client's one-click, unsubscribes. The page is in the
    language of the link, which is the journalist's."""
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
    done = request.method == "POST"
    if done:
        delivery = delivery_unsubscribe(delivery=delivery)
    already = not done and delivery.journalist is not None and delivery.journalist.is_suppressed
    return render(
        request,
        "mailings/unsubscribe.html",
        {
            "delivery": delivery,
            "done": done,
            "already": already,
            "press_email": delivery.mailing.event.press_email if delivery.mailing.event else "",
        },
    )
