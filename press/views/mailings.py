"""The public side of mailings: unsubscribing from a personal link."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from press.mailings.tracking import delivery_unsubscribe
from press.models import Delivery


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (a link scanner must not unsubscribe anyone); POST, from the
    page's button or a mail client's one-click, unsubscribes. The page is in the
    language of the link, which is the journalist's."""
    delivery = (
        Delivery.objects.select_related("journalist", "mailing__event").filter(token=token).first()
    )
    if delivery is None:
        raise Http404
    done = request.method == "POST"
    if done:
        delivery = delivery_unsubscribe(delivery=delivery)
    already = not done and delivery.journalist is not None and delivery.journalist.is_suppressed
    return render(
        request,
        "mailings/unsubscribe.html",
        {"delivery": delivery, "done": done, "already": already},
    )
