"""Demo mailings: one release already sent, with deliveries in every state a provider
reports, and a draft invitation. Nothing is actually mailed."""

import datetime as dt

from django.utils import timezone

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_suppress
from contacts.models import ContactList, Journalist
from press.events.models import Event
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.models import Delivery, Mailing
from press.mailings.recipients import mailing_recipients
from press.releases.models import Release

# Deliveries cycle through these outcomes: (state, timestamps set, error)
OUTCOMES = [
    (DeliveryState.OPENED, ("sent_at", "delivered_at", "opened_at"), ""),
    (DeliveryState.DELIVERED, ("sent_at", "delivered_at"), ""),
    (DeliveryState.CLICKED, ("sent_at", "delivered_at", "opened_at", "clicked_at"), ""),
    (DeliveryState.DELIVERED, ("sent_at", "delivered_at"), ""),
    (DeliveryState.OPENED, ("sent_at", "delivered_at", "opened_at"), ""),
    (DeliveryState.SENT, ("sent_at",), ""),
    (DeliveryState.BOUNCED, ("sent_at", "bounced_at"), "550 5.1.1 mailbox unknown"),
    (DeliveryState.DELIVERED, ("sent_at", "delivered_at"), ""),
    (DeliveryState.UNSUBSCRIBED, ("sent_at", "delivered_at", "unsubscribed_at"), ""),
    (DeliveryState.FAILED, ("failed_at",), "AnymailAPIError: invalid recipient"),
]

SUPPRESSED_BY = {
    DeliveryState.BOUNCED: SuppressionReason.BOUNCED,
    DeliveryState.UNSUBSCRIBED: SuppressionReason.UNSUBSCRIBED,
}

INVITATION_SUBJECT = {
    "fr": "Invitation presse : accréditez-vous pour la conférence",
    "en": "Press invitation: get accredited for the conference",
}
INVITATION_MESSAGE = {
    "fr": (
        "La conférence internationale se tient à Bruxelles du 20 au 22 mars 2024. "
        "Les journalistes accrédités ont accès aux séances plénières, à la salle de presse "
        "et aux entretiens avec les intervenants."
    ),
    "en": (
        "The international conference takes place in Brussels from 20 to 22 March 2024. "
        "Accredited journalists have access to the plenary sessions, the press room and "
        "interviews with speakers."
    ),
}


def seed_mailings(event: Event, releases: list[Release]) -> list[Mailing]:
    if not releases:
        return []
    release = releases[0]
    belgian = ContactList.objects.filter(name="Médias belges").first()
    international = ContactList.objects.filter(name="Presse internationale").first()
    sent = Mailing.objects.filter(release=release, kind=MailingKind.RELEASE).first()
    if sent is None:
        sent = Mailing.objects.create(
            event=event, kind=MailingKind.RELEASE, release=release, sender_name="Presse"
        )
        if belgian:
            sent.lists.add(belgian)
        summary = mailing_recipients(mailing=sent)
        started = (release.publish_at or timezone.now()) + dt.timedelta(minutes=5)
        deliveries = []
        for index, recipient in enumerate(summary.recipients):
            state, stamps, error = OUTCOMES[index % len(OUTCOMES)]
            delivery = Delivery(
                mailing=sent,
                journalist_id=recipient.journalist_id,
                email=recipient.email,
                name=recipient.name,
                language=recipient.language,
                outlet_kind=recipient.outlet_kind,
                state=state,
                error=error,
                message_id="" if state == DeliveryState.FAILED else f"demo-{sent.pk}-{index}",
                sending_at=started,
            )
            for offset, stamp in enumerate(stamps):
                setattr(delivery, stamp, started + dt.timedelta(minutes=1 + offset * 40))
            deliveries.append(delivery)
        Delivery.objects.bulk_create(deliveries)
        # What the provider's events would have done: these are never mailed again.
        for delivery in deliveries:
            reason = SUPPRESSED_BY.get(DeliveryState(delivery.state))
            if reason and delivery.journalist_id is not None:
                journalist = Journalist.objects.get(pk=delivery.journalist_id)
                journalist_suppress(journalist=journalist, reason=reason, at=started)
        sent.state = MailingState.SENT
        sent.scheduled_at = sent.started_at = started
        sent.finished_at = started + dt.timedelta(minutes=1)
        sent.recipient_count = len(deliveries)
        sent.save()
    invitation = Mailing.objects.filter(kind=MailingKind.INVITATION, event=event).first()
    if invitation is None:
        invitation = Mailing.objects.create(
            event=event,
            kind=MailingKind.INVITATION,
            subject=INVITATION_SUBJECT,
            message=INVITATION_MESSAGE,
            sender_name="Presse",
        )
        if international:
            invitation.lists.add(international)
    return [sent, invitation]
