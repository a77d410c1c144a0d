"""Accreditation invitations: the personal link that opens a pre-filled request form,
how far each invitation went, and reminders to those who have not requested yet."""

from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import Journalist
from press.accreditation.models import BadgeRequest
from press.core.typing import StaffMember
from press.events.models import Event
from press.mailings.enums import DeliveryState, MailingKind
from press.mailings.models import Delivery, Mailing
from press.mailings.tracking import delivery_advance

INVITATION_KIND = MailingKind.INVITATION


def invitation_find(*, token: str, event: Event) -> Delivery | None:
    """The invitation delivery carrying `token` for `event`, or None. Tokens expire with
    the accreditation window: outside it no invitation is found."""
    if not token or not event.accreditation_is_open():
        return None
    return (
        Delivery.objects.select_related("journalist", "journalist__outlet", "mailing")
        .filter(token=token, mailing__kind=INVITATION_KIND, mailing__event=event)
        .first()
    )


def email_masked(email: str) -> str:
    """An address shown without giving it away: "c•••@lesoir.be"."""
    local, at, domain = email.strip().partition("@")
    if not at:
        return "•••"
    return f"{local[:1]}•••@{domain}"


def invitation_followed(*, delivery: Delivery) -> None:
    """The journalist opened the form through their invitation link: the delivery counts
    as clicked even when the provider does not track clicks. Repeating it is harmless."""
    with transaction.atomic():
        locked = Delivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
        delivery_advance(
            delivery=locked, state=DeliveryState.CLICKED, at=timezone.now(), field="clicked_at"
        )


def invitation_states(*, event: Event) -> list[dict[str, Any]]:
    """Every invitation sent for `event` with how far it went: sent, opened, clicked,
    requested (a badge request exists for that journalist or address)."""
    requested_emails = set(
        BadgeRequest.objects.filter(event=event)
        .annotate(email_ci=Lower("email"))
        .values_list("email_ci", flat=True)
    )
    requested_journalists = set(
        BadgeRequest.objects.filter(event=event, journalist__isnull=False).values_list(
            "journalist_id", flat=True
        )
    )
    rows = []
    deliveries = Delivery.objects.filter(
        mailing__kind=INVITATION_KIND, mailing__event=event, sent_at__isnull=False
    ).order_by("email", "pk")
    for delivery in deliveries:
        if (
            delivery.journalist_id in requested_journalists
            or delivery.email.lower() in requested_emails
        ):
            state = "requested"
        elif delivery.clicked_at:
            state = "clicked"
        elif delivery.opened_at:
            state = "opened"
        else:
            state = "sent"
        rows.append({"delivery": delivery, "state": state})
    return rows


def invitation_deliveries(*, event: Event) -> QuerySet[Delivery]:
    """invitation_states in SQL: the invitations sent for `event`, by address, each
    annotated `invitation_state` (the same four), for a page of the invitations list."""
    # Two subqueries rather than one with OR: each is served by its own index (the
    # journalist's foreign key, the one-request-per-address index on Lower(email)).
    requests = BadgeRequest.objects.filter(event=event)
    by_journalist = requests.filter(journalist_id=OuterRef("journalist_id"))
    by_email = requests.alias(email_ci=Lower("email")).filter(email_ci=Lower(OuterRef("email")))
    return (
        Delivery.objects.filter(
            mailing__kind=INVITATION_KIND, mailing__event=event, sent_at__isnull=False
        )
        .annotate(
            invitation_state=Case(
                When(Exists(by_journalist) | Exists(by_email), then=Value("requested")),
                When(clicked_at__isnull=False, then=Value("clicked")),
                When(opened_at__isnull=False, then=Value("opened")),
                default=Value("sent"),
                output_field=CharField(),
            )
        )
        .order_by("email", "pk")
    )


def invitation_state_counts(*, event: Event) -> dict[str, int]:
    """How many invitations of `event` reached each state, counted in one query."""
    deliveries: QuerySet = invitation_deliveries(event=event)
    rows = (
        deliveries.order_by()
        .values("invitation_state")
        .annotate(count=Count("pk"))
        .values_list("invitation_state", "count")
    )
    return dict(rows)


def invitation_reminder_create(*, event: Event, by: StaffMember) -> Mailing | None:
    """A draft invitation mailing for `event` to the invited journalists who have not
    sent a request yet (and may still be mailed), with the last invitation's subject
    and text; the office reviews and sends it like any mailing. None when nobody is
    left to remind or nothing was ever sent."""
    last = (
        Mailing.objects.filter(kind=INVITATION_KIND, event=event).order_by("-created_at", "-pk")
    ).first()
    waiting = {
        row["delivery"].journalist_id
        for row in invitation_states(event=event)
        if row["state"] != "requested" and row["delivery"].journalist_id
    }
    journalists = Journalist.objects.mailable().filter(pk__in=waiting)
    if last is None or not journalists.exists():
        return None
    subject = {}
    for language, text in (last.subject or {}).items():
        with translation.override(language):
            subject[language] = _("Reminder: %(subject)s") % {"subject": text}
    with transaction.atomic():
        mailing = Mailing.objects.create(
            kind=INVITATION_KIND,
            event=event,
            subject=subject,
            message=last.message,
            sender_name=last.sender_name,
            sender_email=last.sender_email,
            reply_to=last.reply_to,
            created_by=by,
        )
        mailing.journalists.set(journalists)
    return mailing
