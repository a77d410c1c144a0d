"""Coverage: what was published about an event, by whom, and the personal links that
let accredited journalists share their own.

Clippings (a screenshot or a PDF of the page) live in private storage and are served
only through a staff-only view in the coverage admin.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from press.core.fields import staff_member_field
from press.core.storage import private_storage
from press.coverage.enums import CoverageKind, CoverageSource, InvitationState


def new_token() -> str:
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


def _clipping_upload_to(item: "CoverageItem", filename: str) -> str:
    # The stored name never carries what the sender called the file.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"clippings/{item.event_id}/{secrets.token_hex(16)}.{suffix}"


class CoverageItem(models.Model):
    """One article, broadcast or post about an event."""

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="coverage_items",
    )
    url = models.URLField(_("address (URL)"), max_length=2000)
    headline = models.CharField(_("headline"), max_length=500)
    outlet = models.ForeignKey(
        "contacts.Outlet",
        verbose_name=_("known outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coverage_items",
    )
    outlet_name = models.CharField(
        _("outlet"),
        max_length=200,
        blank=True,
        help_text=_("As published; filled from the known outlet when there is one."),
    )
    country = CountryField(_("country"), blank=True)
    journalist = models.ForeignKey(
        "contacts.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coverage_items",
    )
    published_on = models.DateField(_("published"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("A language code: fr, en, de…")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CoverageKind, default=CoverageKind.ONLINE
    )
    estimated_audience = models.PositiveBigIntegerField(
        _("estimated audience"),
        null=True,
        blank=True,
        help_text=_("An estimate (readers, listeners or viewers), not a measurement."),
    )
    release = models.ForeignKey(
        "releases.Release",
        verbose_name=_("release it follows"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coverage_items",
    )
    notes = models.TextField(_("notes"), blank=True)
    clipping = models.FileField(
        _("clipping (screenshot or PDF)"),
        storage=private_storage,
        upload_to=_clipping_upload_to,
        blank=True,
    )
    source = models.CharField(
        _("source"), max_length=12, choices=CoverageSource, default=CoverageSource.STAFF
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = staff_member_field(_("added by"))

    class Meta:
        verbose_name = _("coverage item")
        verbose_name_plural = _("coverage items")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "url"], name="coverage_one_url_per_event"),
        ]
        indexes = [models.Index(fields=["event", "kind"], name="coverage_event_kind")]

    def __str__(self):
        return self.headline or self.url


class CoverageInvitation(models.Model):
    """A journalist's personal link to share their coverage of one event. Its token
    grants one power only: adding coverage items for that journalist and that event."""

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="coverage_invitations",
    )
    journalist = models.ForeignKey(
        "contacts.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.CASCADE,
        related_name="coverage_invitations",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email = models.EmailField(_("sent to"), max_length=254)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(
        _("state"), max_length=10, choices=InvitationState, default=InvitationState.QUEUED
    )
    message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    created_by = staff_member_field(_("prepared by"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    complained_at = models.DateTimeField(_("marked as spam"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("coverage invitation")
        verbose_name_plural = _("coverage invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "journalist"], name="coverage_invitation_one_per_journalist"
            ),
        ]
        indexes = [models.Index(fields=["message_id"], name="coverage_invitation_message")]

    def __str__(self):
        return f"{self.journalist} — {self.event}"
