import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from contacts.enums import ConsentBasis, ContactSource, OutletKind, SuppressionReason


def email_digest(email: str) -> str:
    """What the suppression list keeps of an erased address: never the address itself."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class Outlet(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OutletKind, default=OutletKind.OTHER)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "country", name="outlet_unique_name_country"),
        ]

    def __str__(self):
        return self.name


class ContactList(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
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
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
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
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    beats = models.CharField(
        _("beats"), max_length=300, blank=True, help_text=_("Topics covered, comma separated.")
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, default=settings.LANGUAGE_CODE
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JournalistQuerySet.as_manager()

    class Meta:
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="journalist_unique_email_ci"),
        ]

    def __str__(self):
        return self.full_name or self.email

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
