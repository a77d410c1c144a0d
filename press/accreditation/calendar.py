"""The calendar file (RFC 5545) attached to an approval: the event's days, where the
badge is collected and what to bring."""

import datetime as dt

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


def badge_collection_ics(*, badge_request, pickup: dict | None = None) -> bytes:
    """A one-event calendar spanning the event's days, in the request's language;
    `pickup` is emails.badge_pickup() for that language."""
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
        "BEGIN:VEVENT",
        f"UID:badge-{badge_request.pk}-{event.slug}@presse",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.starts_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.ends_on + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ics_escape(summary)}",
        f"LOCATION:{ics_escape(location)}",
        f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return (CRLF.join(ics_fold(line) for line in lines) + CRLF).encode()
