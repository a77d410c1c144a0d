import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from contacts.enums import OutletKind
from press.core.fields import staff_member_field
from press.core.translated import TranslatedTextField, pick
from press.mailings.enums import DeliveryState, MailingKind, MailingState


def delivery_token() -> str:
    """192 random bits: a delivery's personal link (for invitations, the link to the
    request form) or its unsubscribe link, each with a token of its own."""
    return secrets.token_urlsafe(24)


class Mailing(models.Model):
    """A release, an invitation or an announcement sent to chosen journalists."""

    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailings",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=MailingKind, default=MailingKind.RELEASE
    )
    release = models.ForeignKey(
        "releases.Release",
        verbose_name=_("release"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailings",
    )
    subject = TranslatedTextField(
        _("subject"),
        max_length=200,
        blank=True,
        help_text=_("Per language; left empty, the release's title in that language."),
    )
    message = TranslatedTextField(
        _("message"),
        textarea=True,
        blank=True,
        help_text=_("A short note above the release, or the text of an invitation."),
    )
    sender_name = models.CharField(_("sender name"), max_length=100, blank=True)
    sender_email = models.EmailField(
        _("sender address"), blank=True, help_text=_("Left empty, the default sender.")
    )
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    # Recipients: members of the lists (narrowed by the filters), plus the journalists
    # picked one by one. With no list, the filters apply to the whole media file.
    lists = models.ManyToManyField(
        "contacts.ContactList", verbose_name=_("lists"), blank=True, related_name="mailings"
    )
    subscribers = models.BooleanField(
        _("newsroom subscribers"),
        default=False,
        help_text=_("Everyone who subscribed to the newsroom, narrowed by the filters."),
    )
    journalists = models.ManyToManyField(
        "contacts.Journalist",
        verbose_name=_("individual journalists"),
        blank=True,
        related_name="picked_for_mailings",
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    outlet_kinds = models.JSONField(_("outlet kinds"), default=list, blank=True)

    state = models.CharField(
        _("state"), max_length=16, choices=MailingState, default=MailingState.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    scheduled_by = staff_member_field(_("sent by"))
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = staff_member_field(_("cancelled by"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    # Renewed by every batch a worker claims; once it has run out while the mailing is
    # still sending, the run died and the watchdog task queues it again.
    lease_until = models.DateTimeField(_("sending lease until"), null=True, editable=False)
    doubt_resent_at = models.DateTimeField(
        _("sent again to those in doubt"), null=True, blank=True, editable=False
    )
    doubt_resent_by = staff_member_field(_("sent again to those in doubt by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = staff_member_field(_("created by"))

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject_in() or str(self.release or _("Mailing #%(pk)s") % {"pk": self.pk})

    def save(self, *args, **kwargs):
        # A release mailing belongs to its release's event: never one chosen apart.
        if self.release_id is not None:
            self.event_id = self.release.event_id
        super().save(*args, **kwargs)

    def subject_in(self, language=None) -> str:
        """The subject typed for `language`, else the release's title in it."""
        if self.subject.get(language or ""):
            return self.subject[language]
        if self.release is not None:
            version = self.release.version_in(language)
            if version:
                return version.title
        return pick(self.subject, language)

    @property
    def is_editable(self) -> bool:
        return self.state in MailingState.editable()


class Delivery(models.Model):
    """One recipient of a mailing, frozen when sending starts, then followed through
    the provider's events."""

    mailing = models.ForeignKey(
        Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="deliveries"
    )
    journalist = models.ForeignKey(
        "contacts.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8)
    outlet_kind = models.CharField(_("outlet kind"), max_length=20, choices=OutletKind, blank=True)
    # Two tokens for two powers: `token` only says which invitation a form comes from
    # (a forwarded invitation must not unsubscribe anyone); `unsubscribe_token` is
    # the unsubscribe link's and nothing else's.
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=delivery_token, editable=False
    )
    unsubscribe_token = models.CharField(
        _("unsubscribe token"),
        max_length=64,
        unique=True,
        default=delivery_token,
        editable=False,
    )
    state = models.CharField(
        _("state"), max_length=16, choices=DeliveryState, default=DeliveryState.PENDING
    )
    message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    sending_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    complained_at = models.DateTimeField(_("marked as spam"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "journalist"], name="one_delivery_per_journalist"
            ),
        ]
        indexes = [
            models.Index(fields=["mailing", "state"], name="delivery_mailing_state"),
            models.Index(fields=["message_id"], name="delivery_message_id"),
            # The accreditation invitations are listed by address, a page at a time.
            models.Index(fields=["email", "id"], name="delivery_by_address"),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_state_display()})"
