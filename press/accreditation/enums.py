"""Choices of the accreditation area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeRequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def active(cls):
        """States in which a request still counts: it may yet become or stay a badge."""
        return [cls.SUBMITTED, cls.WAITLISTED, cls.APPROVED]

    @classmethod
    def editable(cls):
        """States in which the journalist may still correct the request."""
        return [cls.SUBMITTED]


class BadgeRole(models.TextChoices):
    JOURNALIST = "journalist", _("Journalist")
    PHOTOGRAPHER = "photographer", _("Photographer")
    CAMERA = "camera", _("Camera operator")
    TECHNICIAN = "technician", _("Technician")
    EDITOR = "editor", _("Editor")


class Equipment(models.TextChoices):
    CAMERA = "camera", _("Camera")
    TRIPOD = "tripod", _("Tripod")
    LIVE = "live", _("Live transmission")


class EmailState(models.TextChoices):
    """How far an email about a badge request got, from the provider's events."""

    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being handed to the provider")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DELIVERED = "delivered", _("Delivered")
    BOUNCED = "bounced", _("Bounced")
    OPENED = "opened", _("Opened")
    COMPLAINED = "complained", _("Marked as spam")

    @classmethod
    def rank(cls, state) -> int:
        """How far an email is; provider events only ever raise it, so a late or
        repeated event changes nothing."""
        return EMAIL_RANKS[state]


EMAIL_RANKS = {
    EmailState.QUEUED: 0,
    EmailState.SENDING: 1,
    EmailState.SENT: 2,
    EmailState.FAILED: 2,
    EmailState.DELIVERED: 3,
    EmailState.BOUNCED: 4,
    EmailState.OPENED: 5,
    EmailState.COMPLAINED: 8,
}


class SelectionRuleKind(models.TextChoices):
    """The rules a selection applies in order when requests exceed the places."""

    PRIORITY = "priority", _("Priority to these outlet kinds")
    OUTLET_CAP = "outlet_cap", _("At most N per outlet")
    COUNTRY = "country", _("At least one journalist per country")
    DRAW = "draw", _("Random draw")
