"""What the accreditation area does when something happens elsewhere: a journalist is
erased, a subject access export is made, a provider event arrives for one of its
emails."""

from anymail.signals import AnymailTrackingEvent

from contacts.models import Journalist
from contacts.privacy import PERSONAL_DATA_SECTIONS
from contacts.signals import journalist_erased
from press.accreditation.emails import badge_request_email_track
from press.accreditation.privacy import badge_requests_erase, badge_requests_personal_data
from press.core.tracking import tracking_handler_register
from press.mailings.tracking import is_hard_bounce


def on_journalist_erased(sender: object, journalist: Journalist, **kwargs: object) -> None:
    """An erased journalist's badge requests and files go with them."""
    badge_requests_erase(journalist=journalist)


def on_tracking(event: AnymailTrackingEvent) -> bool:
    return badge_request_email_track(event=event, hard=is_hard_bounce(event)) is not None


def connect() -> None:
    """Hook the receivers up (from AccreditationConfig.ready)."""
    journalist_erased.connect(on_journalist_erased, dispatch_uid="press.accreditation.erased")
    tracking_handler_register(on_tracking)
    if badge_requests_personal_data not in PERSONAL_DATA_SECTIONS:
        PERSONAL_DATA_SECTIONS.append(badge_requests_personal_data)
