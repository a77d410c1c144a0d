"""The day's list a desk keeps on its device for when the venue's network drops.

Codes are never sent in the clear: each is the SHA-256 of the code, which the device
compares with the hash of what it scans. Photos are small JPEG data URLs, enough to
compare a face with an ID.
"""

import base64
import datetime as dt
import hashlib
from io import BytesIO
from typing import Any

from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from press.accreditation.models import BadgeRequest
from press.badges.models import Badge
from press.checkin.models import CheckIn, Hold
from press.checkin.selectors import checkin_request_days
from press.events.models import Event

PHOTO_SIZE = (180, 240)


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def small_photo(badge_request: BadgeRequest) -> str:
    """The request's photo as a small JPEG data URL, or "" without a readable photo."""
    if not badge_request.photo:
        return ""
    try:
        with badge_request.photo.open("rb") as file, Image.open(file) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_SIZE)
            out = BytesIO()
            image.save(out, format="JPEG", quality=70)
    except (OSError, UnidentifiedImageError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def end_of_day(day: dt.date) -> dt.datetime:
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start)


def checkin_day_list(*, event: Event, day: dt.date) -> dict[str, Any]:
    """Every badge of the event (valid, replaced, revoked) as the device needs it to
    answer a scan on `day` without the server: hashed code, states, name, outlet, days,
    a small photo, an open hold's note, and that day's check-in if there is one."""
    badges = Badge.objects.filter(badge_request__event=event).select_related("badge_request__event")
    holds = {
        hold.badge_request_id: hold.note
        for hold in Hold.objects.filter(badge_request__event=event, resolved_at__isnull=True)
    }
    arrived = {
        check_in.badge_request_id: check_in
        for check_in in CheckIn.objects.filter(badge_request__event=event, day=day)
    }
    photos: dict[int, str] = {}
    entries = []
    for badge in badges:
        badge_request = badge.badge_request
        if badge_request.pk not in photos:
            photos[badge_request.pk] = small_photo(badge_request)
        days = checkin_request_days(badge_request)
        check_in = arrived.get(badge_request.pk)
        entries.append(
            {
                "hash": code_hash(badge.code),
                "badge_state": badge.state,
                "request": badge_request.pk,
                "request_state": badge_request.state,
                "request_state_label": badge_request.get_state_display(),
                "name": badge_request.full_name,
                "outlet": badge_request.outlet_name,
                "days": [d.isoformat() for d in days],
                "today_ok": day in days,
                "photo": photos[badge_request.pk],
                "hold": holds.get(badge_request.pk),
                "checked_in_at": check_in.at.isoformat() if check_in else None,
                "checked_in_desk": check_in.desk if check_in else None,
            }
        )
    return {
        "event": event.display_name(),
        "day": day.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "expires_at": end_of_day(day).isoformat(),
        "badges": entries,
    }
