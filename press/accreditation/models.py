"""Accreditation: badge requests, their field visits and the log of every decision.

Photos, press cards and letters of assignment live in private storage and are served
only through a permission-checked view (press.accreditation.views.private_file).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from contacts.enums import OutletKind
from press.accreditation.enums import (
    BadgeRequestState,
    BadgeRole,
    EmailState,
    Equipment,
    SelectionRuleKind,
)
from press.core.fields import staff_member_field
from press.core.storage import private_storage
from press.core.translated import TranslatedTextField, pick


def new_token() -> str:
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


def _upload_to(badge_request, filename: str) -> str:
    # The stored name never carries what the sender called the file.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"badge-requests/{badge_request.event_id}/{secrets.token_hex(16)}.{suffix}"


class AccreditationSettings(models.Model):
    """What the approval email tells an accredited journalist about collecting the badge."""

    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="accreditation_settings",
    )
    badge_pickup_place = TranslatedTextField(
        _("where to collect the badge"), max_length=300, blank=True
    )
    badge_pickup_hours = TranslatedTextField(
        _("when to collect the badge"), max_length=500, textarea=True, blank=True
    )
    practical_information = TranslatedTextField(
        _("practical information"), max_length=2000, textarea=True, blank=True
    )
    promote_from_waitlist = models.BooleanField(
        _("promote from the waiting list automatically"),
        default=True,
        help_text=_(
            "When an approved journalist withdraws or is cancelled, the first on the "
            "waiting list is approved and told so."
        ),
    )

    class Meta:
        verbose_name = _("accreditation settings")
        verbose_name_plural = _("accreditation settings")

    def __str__(self):
        return str(self.event)


class SelectionRule(models.Model):
    """One rule of an event's selection, applied in the order of `position`."""

    settings = models.ForeignKey(
        AccreditationSettings,
        verbose_name=_("accreditation settings"),
        on_delete=models.CASCADE,
        related_name="selection_rules",
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("rule"), max_length=20, choices=SelectionRuleKind)
    outlet_kinds = models.JSONField(
        _("outlet kinds"),
        default=list,
        blank=True,
        help_text=_("For a priority rule: the kinds of outlet it puts first."),
    )
    limit = models.PositiveIntegerField(
        _("N"), default=1, help_text=_("For “at most N per outlet”.")
    )

    class Meta:
        verbose_name = _("selection rule")
        verbose_name_plural = _("selection rules")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.get_kind_display()

    def as_dict(self) -> dict:
        return {"kind": self.kind, "outlet_kinds": list(self.outlet_kinds), "limit": self.limit}


class FieldVisit(models.Model):
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="field_visits",
    )
    name = TranslatedTextField(_("name"), max_length=200)
    description = TranslatedTextField(_("description"), max_length=1000, textarea=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    capacity = models.PositiveIntegerField(
        _("places for the press"), default=0, help_text=_("0 means no limit.")
    )

    class Meta:
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return pick(self.name, language)


class BadgeRequest(models.Model):
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="badge_requests",
    )
    journalist = models.ForeignKey(
        "contacts.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_requests",
    )
    invitation = models.ForeignKey(
        "mailings.Delivery",
        verbose_name=_("invitation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_requests",
    )
    invitation_other_email = models.BooleanField(
        _("invitation used by another email"), default=False
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=BadgeRequestState,
        default=BadgeRequestState.SUBMITTED,
        db_index=True,
    )
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40)
    nationality = CountryField(_("nationality"))

    outlet = models.ForeignKey(
        "contacts.Outlet",
        verbose_name=_("known outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_requests",
    )
    outlet_name = models.CharField(_("outlet"), max_length=200)
    outlet_kind = models.CharField(_("outlet kind"), max_length=20, choices=OutletKind)
    outlet_country = CountryField(_("outlet country"))
    outlet_website = models.URLField(_("outlet website"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=BadgeRole)

    press_card_number = models.CharField(_("press card number"), max_length=60, blank=True)
    press_card_country = CountryField(_("press card issued in"), blank=True)
    press_card = models.FileField(
        _("press card"), storage=private_storage, upload_to=_upload_to, blank=True
    )
    letter = models.FileField(
        _("letter of assignment"), storage=private_storage, upload_to=_upload_to, blank=True
    )
    photo = models.FileField(_("photo"), storage=private_storage, upload_to=_upload_to, blank=True)

    days = models.JSONField(_("days attending"), default=list, blank=True)
    field_visits = models.ManyToManyField(
        FieldVisit, verbose_name=_("field visits"), blank=True, related_name="badge_requests"
    )
    interview_requests = models.TextField(_("interview requests"), blank=True)
    equipment = models.JSONField(_("technical equipment"), default=list, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)

    consent_at = models.DateTimeField(_("consent given"))
    consent_version = models.CharField(_("privacy notice version"), max_length=20)

    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = staff_member_field(_("decided by"))
    decision_note = models.TextField(_("note to the journalist"), blank=True)
    waitlist_position = models.PositiveIntegerField(
        _("place on the waiting list"), null=True, blank=True, editable=False
    )
    documents_purged_at = models.DateTimeField(
        _("identity documents deleted"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("badge request")
        verbose_name_plural = _("badge requests")
        ordering = ["-submitted_at", "-pk"]
        # Beyond viewing requests: their identity documents, and spreadsheets of them.
        permissions = [
            ("open_identity_documents", _("Can open press cards and letters of assignment")),
            ("export_badgerequest", _("Can export badge requests")),
        ]
        constraints = [
            models.UniqueConstraint(
                "event", Lower("email"), name="badge_request_one_per_email_per_event"
            ),
        ]
        # What the outlet limit counts for each request (selectors.with_outlet_approved):
        # the approved requests of the same known outlet, or of the same name and country.
        indexes = [
            models.Index(fields=["event", "state", "outlet"], name="badge_request_outlet"),
            models.Index(
                "event",
                "state",
                "outlet_country",
                Lower("outlet_name"),
                name="badge_request_outlet_name",
            ),
            # The review queue: an event's requests, last submitted first, a page at a time.
            models.Index(fields=["event", "submitted_at", "id"], name="badge_request_queue"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.outlet_name})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_editable(self) -> bool:
        return self.state in BadgeRequestState.editable()

    @property
    def is_active(self) -> bool:
        return self.state in BadgeRequestState.active()

    def equipment_labels(self) -> list[str]:
        """The technical equipment in the reader's language."""
        labels = dict(Equipment.choices)
        return [str(labels.get(item, item)) for item in self.equipment]

    def attending_days(self) -> list[dt.date]:
        return [dt.date.fromisoformat(day) for day in self.days]

    def documents(self) -> dict:
        """The private files this request holds, by the name the file view uses."""
        return {
            kind: getattr(self, kind)
            for kind in ("photo", "press_card", "letter")
            if getattr(self, kind)
        }


class BadgeRequestTransition(models.Model):
    """One move of a badge request: who, when, from, to and why."""

    badge_request = models.ForeignKey(
        BadgeRequest,
        verbose_name=_("badge request"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_state = models.CharField(_("from"), max_length=20, choices=BadgeRequestState)
    to_state = models.CharField(_("to"), max_length=20, choices=BadgeRequestState)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = staff_member_field(_("by"), help_text=_("Empty when the journalist made the move."))
    note = models.TextField(_("note"), blank=True)
    checklist = models.JSONField(
        _("reviewer's checklist"),
        default=dict,
        blank=True,
        help_text=_("The checklist as it stood when the decision was taken."),
    )
    selection = models.JSONField(
        _("selection"),
        default=dict,
        blank=True,
        help_text=_("For a decision of a selection: its rules, its seed, the rank and why."),
    )

    class Meta:
        verbose_name = _("badge request transition")
        verbose_name_plural = _("badge request transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ReviewChecklist(models.Model):
    """What a reviewer checked on a request's documents before deciding."""

    badge_request = models.OneToOneField(
        BadgeRequest,
        verbose_name=_("badge request"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    photo_usable = models.BooleanField(_("photo usable for the badge"), default=False)
    press_card_valid = models.BooleanField(_("press card valid"), default=False)
    press_card_number = models.CharField(_("press card number"), max_length=60, blank=True)
    press_card_issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    press_card_expires_on = models.DateField(_("press card expires on"), null=True, blank=True)
    letter_dated = models.BooleanField(_("letter of assignment dated"), default=False)
    outlet_verified = models.BooleanField(_("outlet verified"), default=False)
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("verification reused from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked"), auto_now=True)
    checked_by = staff_member_field(_("checked by"))

    class Meta:
        verbose_name = _("reviewer's checklist")
        verbose_name_plural = _("reviewer's checklists")

    def __str__(self):
        return str(self.badge_request)


class BadgeRequestEmail(models.Model):
    """One email about a badge request (its confirmation, each decision), kept like a
    mailing's delivery: the provider's message id matches its bounces and complaints."""

    badge_request = models.ForeignKey(
        BadgeRequest,
        verbose_name=_("badge request"),
        on_delete=models.CASCADE,
        related_name="emails",
    )
    template = models.CharField(_("email"), max_length=40)
    variant = models.CharField(_("variant"), max_length=20, blank=True)
    to = models.EmailField(_("sent to"), max_length=254)
    state = models.CharField(
        _("state"), max_length=16, choices=EmailState, default=EmailState.QUEUED
    )
    message_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    complained_at = models.DateTimeField(_("marked as spam"), null=True, blank=True)

    class Meta:
        verbose_name = _("email about a badge request")
        verbose_name_plural = _("emails about badge requests")
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["message_id"], name="badge_request_email_message")]

    def __str__(self):
        return f"{self.template} → {self.to} ({self.get_state_display()})"
