"""Template tags other areas' pages include: the QR code on the journalist's status page,
the print button on a badge request's back-office page."""

from typing import Any

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.badges.qr import badge_qr_svg
from press.badges.selectors import badge_active
from press.badges.views import can_print

register = template.Library()


@register.inclusion_tag("badges/_qr_figure.html")
def badge_qr_figure(badge_request: BadgeRequest) -> dict[str, Any]:
    """The QR code of an approved request's active badge as inline SVG (nothing for any
    other request): the page that shows it is the request's private status page."""
    badge = None
    if badge_request.state == BadgeRequestState.APPROVED:
        badge = badge_active(badge_request=badge_request)
    if badge is None:
        return {"svg": ""}
    # segno writes the SVG from the code alone (base64url characters): nothing to escape.
    svg = badge_qr_svg(badge.code, title=_("QR code of your press badge"))
    return {"svg": mark_safe(svg)}  # noqa: S308


@register.inclusion_tag("badges/_request_print.html", takes_context=True)
def badge_print_button(context: dict[str, Any], badge_request: BadgeRequest) -> dict[str, Any]:
    """A button that prints the request's active badge, for staff allowed to print."""
    request = context.get("request")
    if request is None or badge_request is None or not can_print(request.user):
        return {"badge": None}
    return {
        "badge": badge_active(badge_request=badge_request),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
