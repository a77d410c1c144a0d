"""Choices of the check-in area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanResult(models.TextChoices):
    """What the desk is told about a scanned code (the JSON contract's "result")."""

    OK = "ok", _("OK")
    ALREADY = "already", _("Already checked in today")
    NOT_APPROVED = "not_approved", _("Not approved")
    NOT_TODAY = "not_today", _("Not today")
    REVOKED = "revoked", _("Replaced or revoked")
    UNKNOWN = "unknown", _("Unknown code")
