"""What the badges area does for the accreditation area: when a badge request moves,
approving issues its badge, withdrawing or cancelling revokes it, inside the decision's
own transaction (so that the approval email, sent after commit, finds the badge's code);
when an approval or new-code email is prepared, it gives the badge's QR code."""

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.accreditation.signals import badge_qr_wanted, badge_request_moved
from press.badges.issuing import badge_issue, badge_revoke
from press.badges.qr import badge_qr_inline
from press.core.emails import InlineImage
from press.core.typing import StaffMember

State = BadgeRequestState


def on_badge_request_moved(
    sender: object,
    badge_request: BadgeRequest,
    from_state: str,
    to_state: str,
    by: StaffMember = None,
    **kwargs: object,
) -> None:
    if to_state == State.APPROVED:
        badge_issue(badge_request=badge_request)
    elif to_state in (State.WITHDRAWN, State.CANCELLED):
        badge_revoke(badge_request=badge_request, by=by)


def on_badge_qr_wanted(
    sender: object, badge_request: BadgeRequest, **kwargs: object
) -> InlineImage | None:
    return badge_qr_inline(badge_request=badge_request)


def connect() -> None:
    """Hook the receivers up (from BadgesConfig.ready)."""
    badge_request_moved.connect(on_badge_request_moved, dispatch_uid="press.badges.moved")
    badge_qr_wanted.connect(on_badge_qr_wanted, dispatch_uid="press.badges.qr")
