"""The emails a badge request sends to the journalist, in the request's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from press.accreditation.calendar import badge_collection_ics
from press.emails import send_email
from press.models.accreditation import AccreditationSettings, BadgeRequest, BadgeRequestState
from press.translated import pick

State = BadgeRequestState
RECEIVED = "accreditation_received"
EMAIL_FOR_STATE = {
    State.APPROVED: "accreditation_approved",
    State.WAITLISTED: "accreditation_waitlisted",
    State.REJECTED: "accreditation_rejected",
    State.WITHDRAWN: "accreditation_withdrawn",
    State.CANCELLED: "accreditation_cancelled",
}


def status_url(request: BadgeRequest) -> str:
    """The absolute private status link, in the request's language."""
    with translation.override(request.language):
        path = reverse("accreditation:status", kwargs={"token": request.token})
    return f"{settings.SITE_URL}{path}"


def badge_pickup(*, event, language: str) -> dict:
    """Where and when an accredited journalist collects the badge, and the practical
    information, in `language` (empty texts when the office has not set them)."""
    practical = AccreditationSettings.objects.filter(event=event).first()
    if practical is None:
        return {"pickup_place": "", "pickup_hours": "", "practical_information": ""}
    return {
        "pickup_place": pick(practical.badge_pickup_place, language),
        "pickup_hours": pick(practical.badge_pickup_hours, language),
        "practical_information": pick(practical.practical_information, language),
    }


def badge_request_email_send(*, request: BadgeRequest, template: str, variant: str = ""):
    """Send one of the accreditation emails to the journalist, in the request's
    language; the approval carries the badge collection as an .ics calendar file.
    `variant` tells the received email why it is sent again: "updated" (the request
    was changed) or "resubmitted" (someone sent the form again with this address and
    nothing was changed)."""
    language = request.language
    pickup = badge_pickup(event=request.event, language=language)
    attachments = []
    if template == EMAIL_FOR_STATE[State.APPROVED]:
        attachments.append(
            (
                "badge.ics",
                badge_collection_ics(request=request, pickup=pickup),
                "text/calendar",
            )
        )
    return send_email(
        template=template,
        to=request.email,
        language=language,
        context={
            "request": request,
            "event": request.event,
            "status_url": status_url(request),
            **pickup,
            "updated": variant == "updated",
            "resubmitted": variant == "resubmitted",
        },
        attachments=attachments,
        reply_to=[request.event.press_email],
        tags=["accreditation", template],
    )
