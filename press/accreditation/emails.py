"""The emails a badge request sends to the journalist, in the request's language.

Each is a BadgeRequestEmail row (queued by press.accreditation.notifications), sent at
most once by the email task, then followed through the provider's events: a bounce on
an approval email is matched to its journalist like a mailing's delivery.
"""

import logging

from anymail.signals import AnymailTrackingEvent, EventType
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_suppress
from press.accreditation.calendar import badge_collection_ics, chosen_days
from press.accreditation.enums import BadgeRequestState, EmailState
from press.accreditation.models import AccreditationSettings, BadgeRequest, BadgeRequestEmail
from press.accreditation.signals import badge_qr_wanted
from press.core.emails import InlineImage, send_email
from press.core.tracking import (
    metadata_row_id,
    tracked_email_failed,
    tracked_email_record,
    tracked_email_sent,
)
from press.core.translated import pick
from press.events.models import Event

logger = logging.getLogger(__name__)

State = BadgeRequestState
RECEIVED = "accreditation_received"
EMAIL_FOR_STATE: dict[str, str] = {
    State.APPROVED: "accreditation_approved",
    State.WAITLISTED: "accreditation_waitlisted",
    State.REJECTED: "accreditation_rejected",
    State.WITHDRAWN: "accreditation_withdrawn",
    State.CANCELLED: "accreditation_cancelled",
}
# A new badge code issued on request: the journalist gets the new QR code.
BADGE_REPLACED = "badge_replaced"
# Emails that show the request's active badge's QR code inline.
QR_TEMPLATES = (EMAIL_FOR_STATE[State.APPROVED], BADGE_REPLACED)
# The metadata key that brings an email's row id back in the provider's events.
METADATA_KEY = "badge_request_email"
# anymail event type → (email state, timestamp field)
EVENT_STATES = {
    EventType.DELIVERED: (EmailState.DELIVERED, "delivered_at"),
    EventType.OPENED: (EmailState.OPENED, "opened_at"),
    EventType.CLICKED: (EmailState.OPENED, "opened_at"),
    EventType.BOUNCED: (EmailState.BOUNCED, "bounced_at"),
    EventType.REJECTED: (EmailState.BOUNCED, "bounced_at"),
    EventType.COMPLAINED: (EmailState.COMPLAINED, "complained_at"),
}


def status_url(badge_request: BadgeRequest) -> str:
    """The absolute private status link, in the request's language."""
    with translation.override(badge_request.language):
        path = reverse("accreditation:status", kwargs={"token": badge_request.token})
    return f"{settings.SITE_URL}{path}"


def badge_pickup(*, event: Event, language: str) -> dict[str, str]:
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


def _claim(email: BadgeRequestEmail) -> bool:
    """Mark a queued email as being handed over, committed before the provider is
    called: a task run twice, or after a crash, never sends it again."""
    return bool(
        BadgeRequestEmail.objects.filter(pk=email.pk, state=EmailState.QUEUED).update(
            state=EmailState.SENDING
        )
    )


def badge_request_email_send(*, email: BadgeRequestEmail) -> bool:
    """Send one queued accreditation email in the request's language (the approval
    carries the badge collection as an .ics calendar file; it and the new-code email
    show the active badge's QR code inline) and record the provider's message id.
    The row's `variant` tells the received email why it is sent again: "updated" (the
    request was changed) or "resubmitted" (someone sent the form again with this
    address and nothing was changed). Sends nothing for an email no longer
    queued; a provider's refusal marks it failed. Returns whether it was sent."""
    if not _claim(email):
        return False
    row = BadgeRequestEmail.objects.filter(pk=email.pk)
    badge_request = email.badge_request
    language = badge_request.language
    pickup = badge_pickup(event=badge_request.event, language=language)
    attachments = []
    inline_images: list[InlineImage] = []
    if email.template == EMAIL_FOR_STATE[State.APPROVED]:
        ics = badge_collection_ics(badge_request=badge_request, pickup=pickup)
        attachments.append(("badge.ics", ics, "text/calendar"))
    if email.template in QR_TEMPLATES:
        answers = badge_qr_wanted.send(sender=BadgeRequestEmail, badge_request=badge_request)
        for _receiver, image in answers:
            if isinstance(image, InlineImage):
                inline_images.append(image)
    try:
        message_id = send_email(
            template=email.template,
            to=email.to,
            language=language,
            event=badge_request.event,
            context={
                "badge_request": badge_request,
                "status_url": status_url(badge_request),
                **pickup,
                "updated": email.variant == "updated",
                "resubmitted": email.variant == "resubmitted",
                "promoted": email.variant == "promoted",
                "badge_qr_cid": inline_images[0].cid if inline_images else "",
                "chosen_days": chosen_days(badge_request),
                "field_visits": list(badge_request.field_visits.all()),
            },
            attachments=attachments,
            inline_images=inline_images,
            from_email=badge_request.event.from_email(),
            reply_to=[badge_request.event.press_email],
            tags=["accreditation", email.template],
            metadata={METADATA_KEY: str(email.pk)},
        )
    except Exception as error:
        logger.warning("Accreditation email %s was refused", email.pk, exc_info=True)
        tracked_email_failed(rows=row, error=error, failed=EmailState.FAILED)
        return False
    tracked_email_sent(
        rows=row, message_id=message_id, sending=EmailState.SENDING, sent=EmailState.SENT
    )
    return True


def badge_request_email_track(
    *, event: AnymailTrackingEvent, hard: bool = True
) -> BadgeRequestEmail | None:
    """Apply a provider event to the accreditation email it is about (by message id, or
    by the row id in its metadata when the id is not stored yet); its time is kept
    once and its state only moves forward. A hard bounce or a complaint suppresses
    the journalist, as on a mailing. Returns the email, or None if it is not one."""
    if event.event_type not in EVENT_STATES:
        return None
    state, field = EVENT_STATES[event.event_type]
    at = event.timestamp or timezone.now()
    with transaction.atomic():
        emails = BadgeRequestEmail.objects.select_for_update(of=("self",)).select_related(
            "badge_request__journalist"
        )
        email = tracked_email_record(
            rows=emails,
            event=event,
            row_id=metadata_row_id(event.metadata, METADATA_KEY),
            state=state,
            field=field,
            rank=EmailState.rank,
        )
        if email is None:
            return None
        journalist = email.badge_request.journalist
        suppress = {
            EmailState.BOUNCED: SuppressionReason.BOUNCED,
            EmailState.COMPLAINED: SuppressionReason.COMPLAINED,
        }.get(state)
        if suppress and journalist and (hard or state != EmailState.BOUNCED):
            journalist_suppress(journalist=journalist, reason=suppress, at=at)
    return email
