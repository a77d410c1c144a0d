"""Provider events (delivered, opened, bounced…) reach the area that sent the message.

anymail sends every event on one signal; each area that sends email registers a
handler here (from its receivers, connected in its AppConfig.ready) that applies the
event to its own rows and says whether the message was one of its own. An event no
handler recognises is logged.
"""

import logging
from collections.abc import Callable

from anymail.signals import AnymailTrackingEvent

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
