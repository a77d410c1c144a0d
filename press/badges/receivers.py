"""What the badges area does when a badge request moves: approving issues its badge,
withdrawing or cancelling revokes it, inside the decision's own transaction (so that the
approval email, sent after commit, finds the badge's code)."""

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.accreditation.signals import badge_request_moved
from press.badges.issuing import badge_issue, badge_revoke
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


def connect() -> None:
    """Hook the receivers up (from BadgesConfig.ready)."""
    badge_request_moved.connect(on_badge_request_moved, dispatch_uid="press.badges.moved")
