from django.db import models
from django.utils.translation import gettext_lazy as _


class MailingKind(models.TextChoices):
    RELEASE = "release", _("Release")
    INVITATION = "invitation", _("Accreditation invitation")
    ANNOUNCEMENT = "announcement", _("Announcement")


class MailingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def editable(cls):
        """States in which the content and the recipients may still change."""
        return [cls.DRAFT]

    @classmethod
    def cancellable(cls):
        return [cls.DRAFT, cls.SCHEDULED, cls.SENDING]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being handed to the provider")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", _("Opened")
    CLICKED = "clicked", _("Clicked")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Marked as spam")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent (suppressed)")
    CANCELLED = "cancelled", _("Not sent (cancelled)")
    # Handed to a worker that died before it recorded the outcome: the message may or
    # may not have left. Never sent again unless staff ask for it knowingly.
    IN_DOUBT = "in_doubt", _("In doubt (may have been sent)")

    @classmethod
    def rank(cls, state) -> int:
        """How far along a delivery is; provider events only ever raise it, so a late or
        repeated event never moves a delivery backwards."""
        return DELIVERY_RANKS[state]

    @classmethod
    def handed_over(cls):
        """States of deliveries the provider accepted."""
        return [
            cls.SENT,
            cls.DELIVERED,
            cls.OPENED,
            cls.CLICKED,
            cls.BOUNCED,
            cls.COMPLAINED,
            cls.UNSUBSCRIBED,
        ]

    @classmethod
    def finished(cls):
        """States no sending run will touch again."""
        return [state for state in cls if state not in (cls.PENDING, cls.SENDING)]


DELIVERY_RANKS = {
    DeliveryState.PENDING: 0,
    DeliveryState.SENDING: 1,
    # Below "sent": any news from the provider about it settles the doubt.
    DeliveryState.IN_DOUBT: 1,
    DeliveryState.SKIPPED: 2,
    DeliveryState.CANCELLED: 2,
    DeliveryState.FAILED: 2,
    DeliveryState.SENT: 2,
    DeliveryState.DELIVERED: 3,
    DeliveryState.BOUNCED: 4,
    DeliveryState.OPENED: 5,
    DeliveryState.CLICKED: 6,
    DeliveryState.UNSUBSCRIBED: 7,
    DeliveryState.COMPLAINED: 8,
}
