"""The calendar file (RFC 5545) attached to an approval: the days the journalist chose,
at the venue, where the badge is collected and what to bring."""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

CRLF = "\r\n"
LINE_OCTETS = 75


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (§3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def day_ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Days grouped into runs of consecutive days: [(first, last), …], in order."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if ranges and day == ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def chosen_days(badge_request) -> list[dt.date]:
    """The event's days the journalist chose, in order; all of them when the request
    names none (requests made before the form asked)."""
    event_days = badge_request.event.days
    chosen = [day for day in badge_request.attending_days() if day in event_days]
    return sorted(chosen) or event_days


def badge_collection_ics(*, badge_request, pickup: dict | None = None) -> bytes:
    """A calendar of the days the journalist chose, one all-day event per run of
    consecutive days (20 and 22 March: two events; 20 to 22: one), at the venue, in
    the event's time zone, in the request's language; `pickup` is
    emails.badge_pickup() for that language."""
    event = badge_request.event
    pickup = pickup or {}
    with translation.override(badge_request.language):
        place = pickup.get("pickup_place", "")
        hours = pickup.get("pickup_hours", "")
        description = [
            _("Your press badge for %(event)s is approved.") % {"event": event.display_name()},
            _("Collect it at %(place)s with an identity document.")
            % {"place": place or _("the press desk")},
        ]
        if hours:
            description.append(hours)
        description.append(_("Press office: %(email)s") % {"email": event.press_email})
        location = ", ".join(
            part for part in (event.venue_local, event.address, event.city_local) if part
        )
        summary = _("Press accreditation: %(event)s") % {"event": event.display_name()}
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Presse//Accreditation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        # All-day events float: calendars place them on the days of the event's zone.
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for first, last in day_ranges(chosen_days(badge_request)):
        lines += [
            "BEGIN:VEVENT",
            f"UID:badge-{badge_request.pk}-{event.slug}-{first:%Y%m%d}@presse",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
            f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(summary)}",
            f"LOCATION:{ics_escape(location)}",
            f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return (CRLF.join(ics_fold(line) for line in lines) + CRLF).encode()
