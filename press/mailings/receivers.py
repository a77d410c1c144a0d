"""What the mailings area does when something happens elsewhere: a provider event
arrives, a journalist is erased, a subject access export is made."""

from anymail.signals import AnymailTrackingEvent

from contacts.models import Journalist
from contacts.privacy import PERSONAL_DATA_SECTIONS
from contacts.signals import journalist_erased
from press.core.tracking import tracking_handler_register
from press.mailings.tracking import (
    deliveries_anonymise,
    deliveries_personal_data,
    delivery_id_from_metadata,
    delivery_track,
    is_hard_bounce,
)


def on_tracking(event: AnymailTrackingEvent) -> bool:
    """A provider event for a mailing's message: applied to its delivery."""
    delivery = delivery_track(
        message_id=event.message_id or "",
        event_type=event.event_type,
        at=event.timestamp,
        description=event.description or event.mta_response or "",
        hard=is_hard_bounce(event),
        delivery_id=delivery_id_from_metadata(event.metadata),
    )
    return delivery is not None


def on_journalist_erased(sender: object, journalist: Journalist, **kwargs: object) -> None:
    deliveries_anonymise(journalist=journalist)


def connect() -> None:
    """Hook the receivers up (from MailingsConfig.ready)."""
    tracking_handler_register(on_tracking)
    journalist_erased.connect(on_journalist_erased, dispatch_uid="press.mailings.erased")
    if deliveries_personal_data not in PERSONAL_DATA_SECTIONS:
        PERSONAL_DATA_SECTIONS.append(deliveries_personal_data)
