"""Provider events (delivered, opened, bounced…) reach the area that sent the message.

anymail sends every event on one signal; each area that sends email registers a
handler here (from its receivers, connected in its AppConfig.ready) that applies the
event to its own rows and says whether the message was one of its own. An event no
handler recognises is logged.
"""

import logging
from collections.abc import Callable
from typing import Any

from anymail.signals import AnymailTrackingEvent
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

TrackingHandler = Callable[[AnymailTrackingEvent], bool]
_handlers: list[TrackingHandler] = []


def tracking_handler_register(handler: TrackingHandler) -> None:
    """Add `handler(event) -> bool` (True: the message was this area's); once each."""
    if handler not in _handlers:
        _handlers.append(handler)


def on_tracking(
    sender: object, event: AnymailTrackingEvent, esp_name: str, **kwargs: object
) -> None:
    """anymail.signals.tracking receiver: the first handler that knows the message wins."""
    for handler in _handlers:
        if handler(event):
            return
    logger.info("%s event %s for unknown message %s", esp_name, event.event_type, event.message_id)


def connect() -> None:
    from anymail.signals import tracking

    tracking.connect(on_tracking, dispatch_uid="press.core.tracking")


# What a provider says about an undelivered message: kept as the row's error.
ERROR_STATES = {"bounced", "complained"}


def tracked_email_record(
    *,
    rows: "QuerySet[Any]",
    event: AnymailTrackingEvent,
    row_id: int | None,
    state: str,
    field: str,
    rank: Callable[[str], int],
) -> Any | None:
    """The emailed row an event is about, with the event recorded; None when none is.

    Found by the provider's message id, else by `row_id`, the row id the email's metadata
    carried, for an event that arrives before its message id was stored. The event's
    time goes in `field` the first time; the row's state only moves forward (`rank`), so
    a late or repeated event changes nothing; the provider's words are kept as the
    error only for a bounce or a complaint (never a delivery's "250 OK"). Call inside a
    transaction, with `rows` selected for update."""
    row = rows.filter(message_id=event.message_id[:200]).first() if event.message_id else None
    if row is None and row_id is not None:
        row = rows.filter(pk=row_id, message_id="").first()
        if row is not None and event.message_id:
            row.message_id = event.message_id[:200]
    if row is None:
        return None
    if getattr(row, field) is None:
        setattr(row, field, event.timestamp or timezone.now())
    if rank(state) > rank(row.state):
        row.state = state
        if state in ERROR_STATES and (event.description or event.mta_response):
            row.error = (event.description or event.mta_response or "")[:2000]
    row.save(update_fields=["message_id", field, "state", "error"])
    return row


def metadata_row_id(metadata: object, key: str) -> int | None:
    """The row id an email carried in its metadata under `key`, as the provider gives
    it back (a string or a number); None when it is missing or not a whole number."""
    value = metadata.get(key) if isinstance(metadata, dict) else None
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None


def tracked_email_sent(
    *, rows: "QuerySet[Any]", message_id: str | None, sending: str, sent: str
) -> None:
    """The emailed row in `rows` left for the provider: its message id and time kept, its
    state moved from `sending` to `sent`, unless an early provider event already moved
    it further (that state is kept)."""
    rows.filter(state=sending).update(state=sent)
    rows.update(sent_at=timezone.now(), message_id=(message_id or "")[:200])


def tracked_email_failed(*, rows: "QuerySet[Any]", error: Exception, failed: str) -> None:
    """The provider refused the emailed row in `rows`: marked `failed` with the reason."""
    rows.update(state=failed, error=f"{type(error).__name__}: {error}"[:2000])
