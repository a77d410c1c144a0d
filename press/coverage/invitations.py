"""A "share your coverage" invitation: its personal link (a CoverageInvitation token of
its own) to a small public page where the journalist adds the addresses of their
articles and broadcasts, no account needed, and its email.

The email is rendered in the journalist's language and sent at most once: the row is
claimed (queued → sending, committed) before the provider is called.
"""

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from press.core.emails import send_email
from press.coverage.enums import CoverageSource, InvitationState
from press.coverage.items import coverage_add, coverage_url_normalise, outlet_guess
from press.coverage.metadata import MetadataError, page_metadata_read
from press.coverage.models import CoverageInvitation, CoverageItem

logger = logging.getLogger(__name__)
TEMPLATE = "coverage_invitation"


def coverage_invitation_url(invitation: CoverageInvitation) -> str:
    """The absolute personal link, in the journalist's language."""
    with translation.override(invitation.language):
        path = reverse("coverage:submit", kwargs={"token": invitation.token})
    return f"{settings.SITE_URL}{path}"


def coverage_invitation_send(*, invitation: CoverageInvitation) -> bool:
    """Send one queued invitation and record the provider's message id. Sends nothing
    for one no longer queued; a provider's refusal marks it failed. Returns whether
    it was sent."""
    claimed = CoverageInvitation.objects.filter(
        pk=invitation.pk, state=InvitationState.QUEUED
    ).update(state=InvitationState.SENDING)
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
            metadata={"coverage_invitation": str(invitation.pk)},
        )
    except Exception as error:
        logger.warning("Coverage invitation %s was refused", invitation.pk, exc_info=True)
        CoverageInvitation.objects.filter(pk=invitation.pk).update(
            state=InvitationState.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    CoverageInvitation.objects.filter(pk=invitation.pk).update(
        state=InvitationState.SENT, sent_at=timezone.now(), message_id=(message_id or "")[:200]
    )
    return True


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
