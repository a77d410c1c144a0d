"""A "share your coverage" invitation: its personal link (a CoverageInvitation token of
its own) to a small public page where the journalist adds the addresses of their
articles and broadcasts, no account needed, and its email.

The email is rendered in the journalist's language and sent at most once: the row is
claimed (queued → sending, committed) before the provider is called. Afterwards the
provider's events (delivered, opened, bounced, marked as spam) move the invitation on,
as they do a mailing's delivery, and a hard bounce or a complaint suppresses the
journalist.
"""

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_suppress
from press.core.emails import send_email
from press.core.tracking import (
    metadata_row_id,
    tracked_email_failed,
    tracked_email_record,
    tracked_email_sent,
)
from press.coverage.enums import CoverageSource, InvitationState
from press.coverage.items import coverage_add, coverage_url_normalise, outlet_guess
from press.coverage.metadata import MetadataError, page_metadata_read
from press.coverage.models import CoverageInvitation, CoverageItem

logger = logging.getLogger(__name__)
TEMPLATE = "coverage_invitation"
# The metadata key that brings an invitation's row id back in the provider's events.
METADATA_KEY = "coverage_invitation"
# anymail event type → (invitation state, timestamp field)
EVENT_STATES = {
    EventType.DELIVERED: (InvitationState.DELIVERED, "delivered_at"),
    EventType.OPENED: (InvitationState.OPENED, "opened_at"),
    EventType.CLICKED: (InvitationState.OPENED, "opened_at"),
    EventType.BOUNCED: (InvitationState.BOUNCED, "bounced_at"),
    EventType.REJECTED: (InvitationState.BOUNCED, "bounced_at"),
    EventType.COMPLAINED: (InvitationState.COMPLAINED, "complained_at"),
}
SUPPRESSING_STATES = {
    InvitationState.BOUNCED: SuppressionReason.BOUNCED,
    InvitationState.COMPLAINED: SuppressionReason.COMPLAINED,
}


def coverage_invitation_url(invitation: CoverageInvitation) -> str:
    """The absolute personal link, in the journalist's language."""
    with translation.override(invitation.language):
        path = reverse("coverage:submit", kwargs={"token": invitation.token})
    return f"{settings.SITE_URL}{path}"


def coverage_invitation_send(*, invitation: CoverageInvitation) -> bool:
    """Send one queued invitation and record the provider's message id. Sends nothing
    for one no longer queued; a provider's refusal marks it failed. Returns whether
    it was sent."""
    row = CoverageInvitation.objects.filter(pk=invitation.pk)
    claimed = row.filter(state=InvitationState.QUEUED).update(state=InvitationState.SENDING)
    if not claimed:
        return False
    journalist = invitation.journalist
    try:
        message_id = send_email(
            template=TEMPLATE,
            to=invitation.email,
            language=invitation.language,
            event=invitation.event,
            context={
                "name": f"{journalist.first_name} {journalist.last_name}".strip(),
                "submit_url": coverage_invitation_url(invitation),
            },
            reply_to=[invitation.event.press_email],
            tags=["coverage", TEMPLATE],
            metadata={METADATA_KEY: str(invitation.pk)},
        )
    except Exception as error:
        logger.warning("Coverage invitation %s was refused", invitation.pk, exc_info=True)
        tracked_email_failed(rows=row, error=error, failed=InvitationState.FAILED)
        return False
    tracked_email_sent(
        rows=row, message_id=message_id, sending=InvitationState.SENDING, sent=InvitationState.SENT
    )
    return True


def coverage_invitation_track(
    *, event: AnymailTrackingEvent, hard: bool = True
) -> CoverageInvitation | None:
    """Apply a provider event to the invitation it is about: by message id, or by the
    row id its metadata carries when the message id is not stored yet (an event that
    overtakes the sending's bookkeeping). Its time is kept once and its state only
    moves forward, so a repeated or late event is harmless. A hard bounce or a
    complaint suppresses the journalist: no mailing, and no invitation, goes to them
    again. Returns the invitation, or None when the event is not about one."""
    if event.event_type not in EVENT_STATES:
        return None
    state, field = EVENT_STATES[event.event_type]
    at = event.timestamp or timezone.now()
    with transaction.atomic():
        invitations = CoverageInvitation.objects.select_for_update(of=("self",)).select_related(
            "journalist"
        )
        invitation = tracked_email_record(
            rows=invitations,
            event=event,
            row_id=metadata_row_id(event.metadata, METADATA_KEY),
            state=state,
            field=field,
            rank=InvitationState.rank,
        )
        if invitation is None:
            return None
        reason = SUPPRESSING_STATES.get(state)
        if reason and (hard or state != InvitationState.BOUNCED):
            journalist_suppress(journalist=invitation.journalist, reason=reason, at=at)
    return invitation


def coverage_submit(*, invitation: CoverageInvitation, url: str, kind: str) -> CoverageItem:
    """A journalist's own coverage item, through their personal link: the page's
    metadata fills the headline, outlet, date and language when it can be read (an
    unreadable page is still recorded, under its address). Refuses what coverage_add
    refuses (bad_url, duplicate)."""
    url = coverage_url_normalise(url)
    journalist = invitation.journalist
    fields: dict[str, Any] = {}
    try:
        page = page_metadata_read(url=url)
    except MetadataError:
        page = None
    outlet = outlet_guess(site_name=page.site_name if page else "", url=url) or journalist.outlet
    if page is not None:
        fields = {
            "headline": page.title,
            "published_on": page.published_on,
            "language": page.language,
            "outlet_name": outlet.name if outlet else page.site_name,
        }
    item = coverage_add(
        event=invitation.event,
        url=url,
        headline=fields.pop("headline", "") or url,
        kind=kind,
        outlet=outlet,
        journalist=journalist,
        source=CoverageSource.JOURNALIST,
        **fields,
    )
    CoverageInvitation.objects.filter(pk=invitation.pk).update(last_used_at=timezone.now())
    return item
