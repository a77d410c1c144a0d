"""Asking the accredited journalists of an event for their coverage (see
press.coverage.invitations for the link and the email)."""

from typing import Any

from django.conf import settings
from django.db import transaction

from contacts.models import Journalist
from press.core.queue import enqueue_on_commit
from press.coverage import tasks
from press.coverage.enums import InvitationState
from press.coverage.models import CoverageInvitation
from press.coverage.selectors import coverage_invitees_to_ask
from press.events.models import Event


def _language(journalist: Journalist) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return journalist.language if journalist.language in codes else settings.LANGUAGE_CODE


def coverage_invitations_prepare(*, event: Event, by: Any) -> list[CoverageInvitation]:
    """Queue a "share your coverage" email to each accredited journalist of `event`
    (only those who checked in, once check-ins are known) who may still be mailed and
    has not been asked yet. Sent after commit by the background task. Returns the new
    invitations; asking again asks nobody twice."""
    with transaction.atomic():
        invitations = CoverageInvitation.objects.bulk_create(
            [
                CoverageInvitation(
                    event=event,
                    journalist=journalist,
                    email=journalist.email,
                    language=_language(journalist),
                    created_by=by,
                )
                for journalist in coverage_invitees_to_ask(event=event)
            ]
        )
        invitations = list(
            CoverageInvitation.objects.filter(
                event=event, state=InvitationState.QUEUED, pk__in=[i.pk for i in invitations]
            )
        )
        for invitation in invitations:
            enqueue_on_commit(tasks.coverage_invitation_email, invitation.pk)
    return invitations
