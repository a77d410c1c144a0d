"""Background work for coverage: the "share your coverage" emails."""

from django.tasks import task

from press.coverage.invitations import coverage_invitation_send
from press.coverage.models import CoverageInvitation


@task
def coverage_invitation_email(invitation_id: int) -> bool:
    """Send one queued invitation; one erased meanwhile or already sent sends nothing."""
    invitation = (
        CoverageInvitation.objects.select_related("event", "journalist")
        .filter(pk=invitation_id)
        .first()
    )
    return invitation is not None and coverage_invitation_send(invitation=invitation)
