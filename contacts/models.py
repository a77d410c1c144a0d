import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from contacts.enums import (
    ConsentBasis,
    ContactSource,
    ImportState,
    OutletKind,
    SuppressionReason,
)
from press.core.fields import OneLineTextField, staff_member_field
from press.core.phones import phone_e164


def email_digest(email: str) -> str:
    """What the suppression list keeps of an erased address: never the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def language_choices():
    """The site's languages, read when needed so a third one needs no migration."""
    return settings.LANGUAGES


class Outlet(models.Model):
    name = OneLineTextField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OutletKind, default=OutletKind.OTHER)
    country = CountryField(_("country"), blank=True)
    city = OneLineTextField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "country", name="outlet_unique_name_country"),
        ]
        indexes = [models.Index(fields=["country"], name="outlet_country")]

    def __str__(self):
        return self.name


class ContactList(models.Model):
    name = OneLineTextField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("list")
        verbose_name_plural = _("lists")
        ordering = ["name"]

    def __str__(self):
        return self.name


class JournalistQuerySet(models.QuerySet):
    def mailable(self):
        """Journalists who may still be mailed: not unsubscribed, bounced, complained or erased."""
        return self.filter(suppressed_at__isnull=True, erased_at__isnull=True)


class Journalist(models.Model):
    first_name = OneLineTextField(_("first name"), max_length=100, blank=True)
    last_name = OneLineTextField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journalists",
    )
    job_title = OneLineTextField(_("job title"), max_length=200, blank=True)
    beats = OneLineTextField(
        _("beats"), max_length=300, blank=True, help_text=_("Topics covered, comma separated.")
    )
    country = CountryField(_("country"), blank=True)
    city = OneLineTextField(_("city"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=language_choices,
        default=settings.LANGUAGE_CODE,
    )
    lists = models.ManyToManyField(
        ContactList, verbose_name=_("lists"), blank=True, related_name="journalists"
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=ContactSource, default=ContactSource.MANUAL
    )
    consent_basis = models.CharField(
        _("consent basis"),
        max_length=30,
        choices=ConsentBasis,
        default=ConsentBasis.LEGITIMATE_INTEREST,
    )
    consent_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    suppressed_at = models.DateTimeField(_("suppressed"), null=True, blank=True)
    suppression_reason = models.CharField(
        _("suppression reason"), max_length=20, choices=SuppressionReason, blank=True
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    erased_by = staff_member_field(_("erased by"), editable=False)
    # The journalist's own choices, from the newsroom subscription or an email's
    # preference page (contacts.subscriptions); mailings honour them.
    subscribed_at = models.DateTimeField(
        _("subscribed to the newsroom"), null=True, blank=True, editable=False
    )
    wants_releases = models.BooleanField(_("receives press releases"), default=True)
    wants_invitations = models.BooleanField(_("receives invitations"), default=True)
    topics = models.ManyToManyField(
        "releases.Topic",
        verbose_name=_("topics chosen"),
        blank=True,
        related_name="subscribers",
        help_text=_("Releases on these topics only (none chosen: every release)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JournalistQuerySet.as_manager()

    class Meta:
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        ordering = ["last_name", "first_name"]
        # Viewing the media file is not taking it away: exports are a permission of their own.
        permissions = [
            ("export_journalist", _("Can export journalists and their personal data")),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="journalist_unique_email_ci",
                violation_error_code="duplicate_email",
                violation_error_message=_("A journalist with this email address already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["suppressed_at", "erased_at"], name="journalist_mailable"),
            # The back office's country filter walks it (press.core.db.distinct_values).
            models.Index(fields=["country"], name="journalist_country"),
        ]

    def __str__(self):
        if self.erased_at is not None:
            return _("Erased journalist no. %(id)s") % {"id": self.pk}
        return self.full_name or self.email

    def clean(self):
        self.email = self.email.strip().lower()
        phone = phone_e164(self.phone, country=str(self.country or ""))
        if phone is None:
            raise ValidationError(
                {
                    "phone": _(
                        "“%(value)s” is not a valid phone number; give it with the country "
                        "code, such as +32 470 12 34 56."
                    )
                    % {"value": self.phone}
                }
            )
        self.phone = phone

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_suppressed(self) -> bool:
        return self.suppressed_at is not None or self.erased_at is not None


class Suppression(models.Model):
    """An address that must not be mailed again, kept as a hash after an erasure."""

    email_hash = models.CharField(_("email hash"), max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=SuppressionReason)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return f"{self.get_reason_display()} {self.email_hash[:12]}…"


class Subscription(models.Model):
    """A request to subscribe to the newsroom, made on its public form, and its
    confirmation from the emailed link (double opt-in). Kept after confirmation as the
    record of the consent: what was asked, when, and which version of the text."""

    email = models.EmailField(_("email"), max_length=254)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    outlet_name = models.CharField(_("outlet"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    wants_releases = models.BooleanField(_("press releases"), default=True)
    wants_invitations = models.BooleanField(_("invitations"), default=True)
    topic_slugs = models.JSONField(_("topics"), default=list, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    token = models.CharField(_("confirmation token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    journalist = models.ForeignKey(
        Journalist,
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriptions",
    )

    class Meta:
        verbose_name = _("newsroom subscription")
        verbose_name_plural = _("newsroom subscriptions")
        ordering = ["-created_at"]
        indexes = [models.Index(Lower("email"), "created_at", name="subscription_email")]

    def __str__(self):
        return self.email


IMPORT_WORKER_LATE = dt.timedelta(minutes=1)
IMPORT_STALLED = dt.timedelta(minutes=30)


class ContactImport(models.Model):
    """A spreadsheet import from the back office: who, when, what it would do (its
    preview) and then what it did. Both steps run as background tasks; its state says
    how far it got, confirmed_at whether its uploader asked to apply it."""

    file_name = models.CharField(_("file"), max_length=255)
    file_path = models.CharField(_("stored file"), max_length=255, blank=True, editable=False)
    list_name = models.CharField(_("list"), max_length=200, blank=True)
    contact_list = models.ForeignKey(
        ContactList,
        verbose_name=_("list"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language of the report"), max_length=8)
    state = models.CharField(
        _("state"), max_length=20, choices=ImportState, default=ImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = staff_member_field(_("imported by"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.state in ImportState.finished()

    @property
    def is_applying(self) -> bool:
        return self.confirmed_at is not None

    @property
    def waiting_for_worker(self) -> bool:
        """Still queued a minute later: the background worker is not running."""
        return self.state == ImportState.QUEUED and self._age() > IMPORT_WORKER_LATE

    @property
    def seems_stalled(self) -> bool:
        """Started long ago and not finished: its worker stopped midway (a step takes
        minutes at most; writing is one transaction, so nothing was written)."""
        return self.state in ImportState.running() and self._age() > IMPORT_STALLED

    def _age(self) -> dt.timedelta:
        return timezone.now() - (self.confirmed_at or self.created_at)

    @property
    def percent(self) -> int | None:
        """How far the current step got, or None while that cannot be told (reading a
        file whose length is not known yet)."""
        if self.state == ImportState.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(100, int(100 * self.rows_done / self.rows_total))
