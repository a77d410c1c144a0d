"""What the coverage area does when something happens elsewhere: a journalist is
erased, a subject access export is made, a provider event arrives for one of its
invitations, a reviewer asks for a journalist's earlier editions."""

from anymail.signals import AnymailTrackingEvent

from contacts.models import Journalist
from contacts.privacy import PERSONAL_DATA_SECTIONS
from contacts.signals import journalist_erased
from press.accreditation.models import BadgeRequest
from press.accreditation.signals import earlier_editions_wanted
from press.core.tracking import tracking_handler_register
from press.coverage.invitations import coverage_invitation_track
from press.coverage.items import (
    coverage_erase,
    coverage_invitations_personal_data,
    coverage_personal_data,
)
from press.coverage.records import track_record_describe
from press.coverage.selectors import journalist_track_record
from press.mailings.tracking import is_hard_bounce


def on_journalist_erased(sender: object, journalist: Journalist, **kwargs: object) -> None:
    """An erased journalist's coverage loses its link to them."""
    coverage_erase(journalist=journalist)


def on_tracking(event: AnymailTrackingEvent) -> bool:
    """A provider event for a "share your coverage" email: applied to its invitation."""
    return coverage_invitation_track(event=event, hard=is_hard_bounce(event)) is not None


def on_earlier_editions_wanted(
    sender: object, badge_request: BadgeRequest, **kwargs: object
) -> list[str]:
    """The reviewer's view of the journalist's earlier editions: "accredited in 2024,
    attended, 3 items"."""
    if badge_request.journalist is None:
        return []
    records = journalist_track_record(
        journalist=badge_request.journalist, before_event=badge_request.event
    )
    return track_record_describe(records)


def connect() -> None:
    """Hook the receivers up (from CoverageConfig.ready)."""
    tracking_handler_register(on_tracking)
    journalist_erased.connect(on_journalist_erased, dispatch_uid="press.coverage.erased")
    earlier_editions_wanted.connect(
        on_earlier_editions_wanted, dispatch_uid="press.coverage.earlier_editions"
    )
    for section in (coverage_personal_data, coverage_invitations_personal_data):
        if section not in PERSONAL_DATA_SECTIONS:
            PERSONAL_DATA_SECTIONS.append(section)
