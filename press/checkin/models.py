"""Check-in at the desk: who came in on which day, every scan made, and who was held.

A check-in is one per badge request and day (a unique constraint, under a row lock in
press.checkin.scanning); a scan is every code the desk typed or read, whatever it
answered; a hold refers a journalist to the press office without checking them in.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from press.checkin.enums import ScanResult
from press.core.fields import staff_member_field


class CheckIn(models.Model):
    """A journalist let in on one day of the event."""

    badge_request = models.ForeignKey(
        "accreditation.BadgeRequest",
        verbose_name=_("badge request"),
        on_delete=models.CASCADE,
        related_name="check_ins",
    )
    badge = models.ForeignKey(
        "badges.Badge",
        verbose_name=_("badge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="check_ins",
    )
    day = models.DateField(_("day"))
    at = models.DateTimeField(
        _("checked in"), help_text=_("The device's own time for a scan made offline.")
    )
    by = staff_member_field(_("by"))
    desk = models.CharField(_("desk"), max_length=100, blank=True)
    nonce = models.CharField(_("nonce"), max_length=64, blank=True)
    offline = models.BooleanField(_("scanned offline"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_request", "day"], name="checkin_one_per_request_and_day"
            )
        ]
        indexes = [models.Index(fields=["day", "at"], name="checkin_day_at")]

    def __str__(self) -> str:
        return f"{self.badge_request} — {self.day:%Y-%m-%d}"


class Scan(models.Model):
    """One code shown at the desk, as typed or read, and what it answered."""

    code = models.CharField(_("code as scanned"), max_length=200)
    badge = models.ForeignKey(
        "badges.Badge",
        verbose_name=_("badge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
    )
    badge_request = models.ForeignKey(
        "accreditation.BadgeRequest",
        verbose_name=_("badge request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
    )
    check_in = models.ForeignKey(
        CheckIn,
        verbose_name=_("check-in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
        help_text=_("The check-in this scan made, or the earlier one it found."),
    )
    result = models.CharField(_("result"), max_length=20, choices=ScanResult)
    held = models.BooleanField(_("journalist on hold"), default=False)
    by = staff_member_field(_("by"))
    at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    desk = models.CharField(_("desk"), max_length=100, blank=True)
    nonce = models.CharField(_("nonce"), max_length=64, blank=True)
    offline = models.BooleanField(_("scanned offline"), default=False)
    device_at = models.DateTimeField(_("device time"), null=True, blank=True)
    conflict = models.BooleanField(
        _("conflict after sync"),
        default=False,
        help_text=_(
            "Admitted offline on this device while another device had admitted the same "
            "badge earlier that day."
        ),
    )

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-at", "-pk"]
        constraints = [
            # A retried request carries the same nonce: it must find the first answer.
            models.UniqueConstraint(
                fields=["nonce"], condition=~models.Q(nonce=""), name="scan_nonce_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.get_result_display()}"


class Hold(models.Model):
    """The desk sends a journalist to the press office with a note; the badge is not
    checked in until a press officer resolves the hold."""

    badge_request = models.ForeignKey(
        "accreditation.BadgeRequest",
        verbose_name=_("badge request"),
        on_delete=models.CASCADE,
        related_name="holds",
    )
    note = models.TextField(_("note"))
    desk = models.CharField(_("desk"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("held"), auto_now_add=True)
    created_by = staff_member_field(_("held by"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = staff_member_field(_("resolved by"))
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_request"],
                condition=models.Q(resolved_at__isnull=True),
                name="hold_one_open_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge_request}: {self.note[:40]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
