"""Choices of the coverage area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoverageKind(models.TextChoices):
    PRINT = "print", _("Print")
    ONLINE = "online", _("Online")
    RADIO = "radio", _("Radio")
    TV = "tv", _("TV")
    AGENCY = "agency", _("Agency")
    SOCIAL = "social", _("Social media")


class CoverageSource(models.TextChoices):
    STAFF = "staff", _("Added by the office")
    JOURNALIST = "journalist", _("Submitted by the journalist")
    IMPORT = "import", _("Imported")


class InvitationState(models.TextChoices):
    """How far a "share your coverage" email got."""

    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being handed to the provider")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DELIVERED = "delivered", _("Delivered")
    BOUNCED = "bounced", _("Bounced")
    OPENED = "opened", _("Opened")
    COMPLAINED = "complained", _("Marked as spam")

    @classmethod
    def rank(cls, state: str) -> int:
        """How far an invitation got; provider events only ever raise it, so a late or
        repeated event changes nothing."""
        return INVITATION_RANKS[state]


INVITATION_RANKS: dict[str, int] = {
    InvitationState.QUEUED: 0,
    InvitationState.SENDING: 1,
    InvitationState.SENT: 2,
    InvitationState.FAILED: 2,
    InvitationState.DELIVERED: 3,
    InvitationState.BOUNCED: 4,
    InvitationState.OPENED: 5,
    InvitationState.COMPLAINED: 8,
}
