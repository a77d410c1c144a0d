"""Demo check-in: approved requests get a badge, a few journalists of a past edition
checked in at the desk, one held for the press office. Idempotent: badges are looked
up per request, scans carry a fixed nonce, a hold is made only when none is open."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from press.accreditation.models import BadgeRequest, BadgeRequestState
from press.badges.issuing import badge_issue
from press.badges.models import Badge
from press.checkin.scanning import checkin_hold, checkin_scan
from press.checkin.selectors import checkin_open_hold, checkin_request_days
from press.demo.event import BRUSSELS
from press.events.models import Event

DEMO_DESK = "Entrée principale"
CHECKED_IN = 4  # approved requests of a past edition that came in on their first day


def seed_checkin(event: Event) -> None:
    approved = list(
        BadgeRequest.objects.filter(event=event, state=BadgeRequestState.APPROVED)
        .select_related("event")
        .order_by("pk")
    )
    badges = [_active_badge(badge_request) for badge_request in approved]
    if event.ends_on >= timezone.localdate():
        return
    desk = get_user_model().objects.filter(username="desk").first()
    for index, (badge_request, badge) in enumerate(zip(approved, badges, strict=True)):
        if index < CHECKED_IN:
            day = checkin_request_days(badge_request)[0]
            at = dt.datetime.combine(day, dt.time(8, 40), tzinfo=BRUSSELS)
            checkin_scan(
                code=badge.code,
                by=desk,
                desk=DEMO_DESK,
                nonce=f"demo-{badge_request.pk}",
                scanned_at=at + dt.timedelta(minutes=7 * index),
            )
        elif index == CHECKED_IN and checkin_open_hold(badge_request) is None:
            checkin_hold(
                badge_request=badge_request,
                by=desk,
                note="Nom sur la carte de presse différent de la demande : à vérifier.",
                desk=DEMO_DESK,
            )


def _active_badge(badge_request: BadgeRequest) -> Badge:
    return badge_issue(badge_request=badge_request)
