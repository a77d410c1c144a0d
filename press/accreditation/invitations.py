"""Accreditation invitations: the personal link that opens a pre-filled request form,
how far each invitation went, and reminders to those who have not requested yet."""

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Q,
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


def _sent_invitations(event: Event) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        mailing__kind=INVITATION_KIND, mailing__event=event, sent_at__isnull=False
    )


def _led_to_a_request(event: Event) -> Q:
    """An invitation (aliased `email_ci`, its address folded) whose journalist or address
    sent a badge request for `event`."""
    requests = BadgeRequest.objects.filter(event=event)
    return Q(
        journalist_id__in=requests.filter(journalist__isnull=False).values("journalist_id")
    ) | Q(email_ci__in=requests.annotate(folded=Lower("email")).values("folded"))


def invitation_deliveries(*, event: Event) -> QuerySet[Delivery]:
    """The invitations sent for `event`, by address, each annotated `invitation_state`:
    "requested" (a badge request exists for that journalist or address), else "clicked",
    "opened" or "sent" (how far the email went), for a page of the invitations list."""
    return (
        _sent_invitations(event)
        .alias(email_ci=Lower("email"))
        .annotate(
            invitation_state=Case(
                When(_led_to_a_request(event), then=Value("requested")),
                When(clicked_at__isnull=False, then=Value("clicked")),
                When(opened_at__isnull=False, then=Value("opened")),
                default=Value("sent"),
                output_field=CharField(),
            )
        )
        .order_by("email", "pk")
    )


def invitation_state_counts(*, event: Event) -> dict[str, int]:
    """How many invitations of `event` reached each state of invitation_deliveries.
    Rather than classifying every invitation and grouping them (a sort of them all), it
    counts how far all of them went, then how far those that led to a request went, and
    takes the second from the first: two plain scans."""

    def how_far(deliveries: QuerySet[Delivery]) -> dict[str, int]:
        return deliveries.aggregate(
            total=Count("pk"),
            clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
            opened=Count("pk", filter=Q(clicked_at__isnull=True, opened_at__isnull=False)),
        )

    everyone = how_far(_sent_invitations(event))
    requested = how_far(
        _sent_invitations(event).alias(email_ci=Lower("email")).filter(_led_to_a_request(event))
    )
    clicked = everyone["clicked"] - requested["clicked"]
    opened = everyone["opened"] - requested["opened"]
    return {
        "requested": requested["total"],
        "clicked": clicked,
        "opened": opened,
        "sent": everyone["total"] - requested["total"] - clicked - opened,
    }


def invitation_reminder_create(*, event: Event, by: StaffMember) -> Mailing | None:
    """A draft invitation mailing for `event` to the invited journalists who have not
    sent a request yet (and may still be mailed), with the last invitation's subject
    and text; the office reviews and sends it like any mailing. None when nobody is
    left to remind or nothing was ever sent."""
    last = (
        Mailing.objects.filter(kind=INVITATION_KIND, event=event).order_by("-created_at", "-pk")
    ).first()
    waiting = set(
        _sent_invitations(event)
        .alias(email_ci=Lower("email"))
        .exclude(_led_to_a_request(event))
        .filter(journalist__isnull=False)
        .values_list("journalist_id", flat=True)
    )
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
