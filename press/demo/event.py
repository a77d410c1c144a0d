import datetime as dt
from zoneinfo import ZoneInfo

from press.models import Event

BRUSSELS = ZoneInfo("Europe/Brussels")
SLUG = "brussels-2024"


def seed_event() -> Event:
    event, _created = Event.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": {
                "fr": "Sécurité, démocratie et villes — Bruxelles 2024",
                "en": "Security, Democracy and Cities — Brussels 2024",
            },
            "starts_on": dt.date(2024, 3, 20),
            "ends_on": dt.date(2024, 3, 22),
            "venue": "The Square — Brussels Meeting Centre",
            "address": "Mont des Arts, 1000 Bruxelles",
            "city": "Bruxelles",
            "country": "BE",
            "website": "https://conference.example.org",
            "press_email": "presse@conference.example.org",
            "press_phone": "+32 2 555 01 24",
            "accreditation_opens_at": dt.datetime(2024, 1, 15, 9, 0, tzinfo=BRUSSELS),
            "accreditation_closes_at": dt.datetime(2024, 3, 15, 18, 0, tzinfo=BRUSSELS),
            "press_capacity": 120,
            "per_outlet_limit": 3,
        },
    )
    return event
