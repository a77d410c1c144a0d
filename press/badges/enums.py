"""Choices of the badges area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeState(models.TextChoices):
    ACTIVE = "active", _("Valid")
    REPLACED = "replaced", _("Replaced by a new code")
    REVOKED = "revoked", _("Revoked")
