import datetime as dt
import secrets
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from press.core.translated import TranslatedTextField, pick
from press.core.uploads import photo_check


def logo_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"events/logos/{secrets.token_urlsafe(8)}.{suffix}"


class Event(models.Model):
    """One edition of the conference: what releases, accreditation and badges belong to."""

    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in URLs and commands."))
    name = TranslatedTextField(_("name"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    venue_names = TranslatedTextField(
        _("venue in each language"),
        max_length=200,
        blank=True,
        help_text=_("What readers see in their language; empty: the venue above."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    city_names = TranslatedTextField(
        _("city in each language"),
        max_length=100,
        blank=True,
        help_text=_("Bruxelles / Brussels; empty: the city above."),
    )
    sender_name = models.CharField(
        _("sender name"),
        max_length=200,
        blank=True,
        help_text=_("The name emails about this event come from; empty: the site's sender."),
    )
    sender_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("An address the email provider has verified; empty: the site's sender."),
    )
    country = CountryField(_("country"))
    logo = models.ImageField(
        _("organiser's logo"),
        upload_to=logo_path,
        blank=True,
        validators=[photo_check],
        help_text=_(
            "A PNG or JPEG about 400 pixels wide, shown on white at the top of emails; "
            "empty: the event's name is written instead."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    press_email = models.EmailField(_("press office email"))
    press_phone = models.CharField(_("press office phone"), max_length=40, blank=True)
    accreditation_opens_at = models.DateTimeField(_("accreditation opens"), null=True, blank=True)
    accreditation_closes_at = models.DateTimeField(_("accreditation closes"), null=True, blank=True)
    press_capacity = models.PositiveIntegerField(
        _("press capacity"),
        default=0,
        help_text=_("Badges that may be approved; 0 means no limit."),
    )
    per_outlet_limit = models.PositiveIntegerField(
        _("badges per outlet"), default=0, help_text=_("0 means no limit.")
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_it_starts",
            ),
        ]
        permissions = [("check_in_badge", _("Can check badges in at the desk"))]

    def __str__(self):
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return pick(self.name, language) or self.slug

    @property
    def city_local(self) -> str:
        """The city in the active language (Bruxelles / Brussels)."""
        return pick(self.city_names) or self.city

    @property
    def venue_local(self) -> str:
        """The venue in the active language."""
        return pick(self.venue_names) or self.venue

    def from_email(self) -> str:
        """The From of every email about this event: its sender name and address, each
        falling back to DEFAULT_FROM_EMAIL's."""
        return sender_from(name=self.sender_name, address=self.sender_email)

    @property
    def days(self) -> list:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + dt.timedelta(days=offset) for offset in range(count)]

    def accreditation_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        if not self.accreditation_opens_at or at < self.accreditation_opens_at:
            return False
        return not (self.accreditation_closes_at and at >= self.accreditation_closes_at)


def sender_from(*, name: str = "", address: str = "") -> str:
    """A From header: the given name and address, each falling back to DEFAULT_FROM_EMAIL's."""
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or default_name, address or default_address))
