"""Demo badges (seed_demo): every approved demo request gets its badge, and every other
one of them is recorded as printed by the reviewer. Idempotent: issuing is, and a badge
already printed is left alone."""

from django.contrib.auth import get_user_model

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.badges.issuing import badge_issue
from press.badges.models import BadgePrint
from press.badges.printing import badges_record_printed
from press.events.models import Event


def seed_badges(event: Event) -> dict[str, int]:
    approved = BadgeRequest.objects.filter(event=event, state=BadgeRequestState.APPROVED)
    badges = [badge_issue(badge_request=badge_request) for badge_request in approved.order_by("pk")]
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    to_print = [
        badge
        for badge in badges[::2]
        if badge.printed_at is None and not BadgePrint.objects.filter(badge=badge).exists()
    ]
    if to_print:
        badges_record_printed(badges=to_print, by=reviewer)
    return {"badges": len(badges), "printed": len(to_print)}
