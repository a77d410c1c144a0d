"""What happens to a delivery after it left: provider events, unsubscribing, erasure.

Provider events arrive on anymail's tracking webhooks and are matched by message id, or,
for an event that overtakes the sending batch's bookkeeping, by the delivery id the
message carried in its metadata (providers that do not echo metadata in their events
lose such an early event; it is logged).
Each event records its time once (the first occurrence) and may only move the delivery
forward (see DeliveryState.rank), so repeated or late events are harmless. A hard
bounce or a complaint suppresses the journalist: they are never mailed again.
"""

import datetime as dt
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import transaction
from django.utils import timezone

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_suppress
from contacts.models import Journalist
from press.mailings.enums import DeliveryState
from press.mailings.models import Delivery

# anymail event type → (delivery state, timestamp field)
EVENT_STATES = {
    # The provider accepted it: settles a delivery left in doubt by a killed worker.
    EventType.SENT: (DeliveryState.SENT, "sent_at"),
    EventType.DELIVERED: (DeliveryState.DELIVERED, "delivered_at"),
    EventType.OPENED: (DeliveryState.OPENED, "opened_at"),
    EventType.CLICKED: (DeliveryState.CLICKED, "clicked_at"),
    EventType.BOUNCED: (DeliveryState.BOUNCED, "bounced_at"),
    EventType.REJECTED: (DeliveryState.BOUNCED, "bounced_at"),
    EventType.COMPLAINED: (DeliveryState.COMPLAINED, "complained_at"),
    EventType.UNSUBSCRIBED: (DeliveryState.UNSUBSCRIBED, "unsubscribed_at"),
}
SUPPRESSING_STATES = {
    DeliveryState.BOUNCED: SuppressionReason.BOUNCED,
    DeliveryState.COMPLAINED: SuppressionReason.COMPLAINED,
    DeliveryState.UNSUBSCRIBED: SuppressionReason.UNSUBSCRIBED,
}
# Only these events' text says what went wrong. A "delivered" event's text is the
# receiving server's "250 OK": kept as the error, it would depend on the order the
# provider's calls arrived in.
ERROR_STATES = {DeliveryState.BOUNCED, DeliveryState.COMPLAINED}
# Providers describe soft bounces as bounces too; only these say the address is dead.
SOFT_BOUNCE_WORDS = ("soft", "transient", "temporary", "mailbox full", "deferred")


def is_hard_bounce(event: AnymailTrackingEvent) -> bool:
    if event.event_type == EventType.REJECTED:
        return event.reject_reason in ("bounced", "invalid")
    esp_type = event.esp_event.get("Type", "") if isinstance(event.esp_event, dict) else ""
    description = f"{esp_type} {event.description or ''} {event.mta_response or ''}".lower()
    return not any(word in description for word in SOFT_BOUNCE_WORDS)


def delivery_advance(
    *, delivery: Delivery, state: str, at: dt.datetime, field: str, error: str = ""
) -> bool:
    """Record an event on a locked delivery: its time once, its state only forward.
    Returns whether the state moved."""
    fields = []
    if getattr(delivery, field) is None:
        setattr(delivery, field, at)
        fields.append(field)
    moved = DeliveryState.rank(state) > DeliveryState.rank(delivery.state)
    if moved:
        delivery.state = state
        fields.append("state")
        if error:
            delivery.error = error[:2000]
            fields.append("error")
    if fields:
        delivery.save(update_fields=fields)
    return moved


def delivery_id_from_metadata(metadata: object) -> int | None:
    """The delivery id a message carried in its metadata, if it looks like one."""
    value = (metadata or {}).get("delivery") if isinstance(metadata, dict) else None
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None


def delivery_track(
    *,
    message_id: str,
    event_type: str,
    at: dt.datetime | None = None,
    description: str = "",
    hard: bool = True,
    delivery_id: int | None = None,
) -> Delivery | None:
    """Apply one provider event to the delivery with this message id (None if unknown or
    an event type deliveries do not follow). An event can arrive before the sending
    batch stored its message ids: the delivery is then found by `delivery_id` (from
    the message's metadata) as long as it has no message id yet, and gets this one.
    A hard bounce, a complaint or an unsubscription suppresses the journalist; only a
    bounce or a complaint records the provider's text as the delivery's error."""
    if event_type not in EVENT_STATES or not message_id:
        return None
    state, field = EVENT_STATES[event_type]
    at = at or timezone.now()
    with transaction.atomic():
        deliveries = Delivery.objects.select_for_update(of=("self",)).select_related("journalist")
        delivery = deliveries.filter(message_id=message_id).first()
        if delivery is None and delivery_id is not None:
            delivery = deliveries.filter(pk=delivery_id, message_id="").first()
            if delivery is not None:
                delivery.message_id = message_id[:200]
                delivery.save(update_fields=["message_id"])
        if delivery is None:
            return None
        error = description if state in ERROR_STATES else ""
        delivery_advance(delivery=delivery, state=state, at=at, field=field, error=error)
        reason = SUPPRESSING_STATES.get(state)
        if reason and delivery.journalist and (hard or state != DeliveryState.BOUNCED):
            journalist_suppress(journalist=delivery.journalist, reason=reason, at=at)
    return delivery


def delivery_unsubscribe(*, delivery: Delivery, at: dt.datetime | None = None) -> Delivery:
    """The recipient unsubscribed through their link: the delivery says so and the
    journalist is suppressed. Repeating it changes nothing."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("journalist")
            .get(pk=delivery.pk)
        )
        delivery_advance(
            delivery=locked, state=DeliveryState.UNSUBSCRIBED, at=at, field="unsubscribed_at"
        )
        if locked.journalist:
            journalist_suppress(
                journalist=locked.journalist, reason=SuppressionReason.UNSUBSCRIBED, at=at
            )
    return locked


def deliveries_anonymise(*, journalist: Journalist) -> int:
    """Erase what deliveries hold of a journalist; states and dates stay for statistics."""
    return Delivery.objects.filter(journalist=journalist).update(
        email=f"erased-{journalist.pk}@erased.invalid", name=""
    )


def deliveries_personal_data(journalist: Journalist) -> tuple[str, list[dict[str, Any]]]:
    """The mailings a journalist was sent, for a subject access request."""
    rows = Delivery.objects.filter(journalist=journalist).select_related("mailing").order_by("pk")
    return (
        "mailings",
        [
            {
                "mailing": str(delivery.mailing),
                "email": delivery.email,
                "language": delivery.language,
                "state": delivery.state,
                "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
                "opened_at": delivery.opened_at.isoformat() if delivery.opened_at else None,
                "clicked_at": delivery.clicked_at.isoformat() if delivery.clicked_at else None,
                "unsubscribed_at": (
                    delivery.unsubscribed_at.isoformat() if delivery.unsubscribed_at else None
                ),
            }
            for delivery in rows
        ],
    )
