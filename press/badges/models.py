"""A press badge: the code a journalist shows at the desk, and its printing."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from press.badges.enums import BadgeState
from press.core.fields import staff_member_field


def badge_code_new() -> str:
    """A badge code: 16 random bytes (128 bits) in base64url without padding, 22
    characters; it says nothing about the journalist."""
    return secrets.token_urlsafe(16)


class Badge(models.Model):
    """One code of a badge request. An approved request has exactly one active badge;
    a replaced or revoked one is kept so that its code still answers at the desk."""

    badge_request = models.ForeignKey(
        "accreditation.BadgeRequest",
        verbose_name=_("badge request"),
        on_delete=models.CASCADE,
        related_name="badges",
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, default=badge_code_new, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=BadgeState, default=BadgeState.ACTIVE
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    ended_at = models.DateTimeField(_("replaced or revoked"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    printed_by = staff_member_field(_("printed by"))
    ended_by = staff_member_field(_("replaced or revoked by"))

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["-created_at"]
        permissions = [("print_badge", _("Can print badges"))]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_request"],
                condition=models.Q(state=BadgeState.ACTIVE),
                name="badge_one_active_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge_request} ({self.get_state_display()})"


class BadgePrint(models.Model):
    """One printing of a badge: who printed it and when, and whether it had been printed
    before (a reprint: the old card may still be around)."""

    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="prints"
    )
    at = models.DateTimeField(_("printed"), auto_now_add=True)
    by = staff_member_field(_("printed by"), help_text=_("Empty when a command printed it."))
    reprint = models.BooleanField(_("reprint"), default=False)

    class Meta:
        verbose_name = _("badge printing")
        verbose_name_plural = _("badge printings")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.badge} @ {self.at:%Y-%m-%d %H:%M}"
