import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from press.events.models import Event

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
            "city_names": {"fr": "Bruxelles", "en": "Brussels"},
            "venue_names": {"fr": "The Square — Centre de congrès de Bruxelles"},
            "sender_name": "Presse — Sécurité, démocratie et villes",
            "sender_email": "presse@conference.example.org",
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
    _give_logo(event)
    return event


def demo_logo() -> bytes:
    """A plain organiser's logo for the demo: a dark blue mark and three rings, on white."""
    image = Image.new("RGB", (400, 100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 100, 100), fill=(11, 61, 99))
    for index in range(3):
        left = 130 + index * 80
        draw.ellipse((left, 20, left + 60, 80), outline=(11, 61, 99), width=8)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _give_logo(event: Event) -> None:
    """The organiser's logo on the event, once: one the office set is kept."""
    if not event.logo:
        event.logo.save("logo.png", ContentFile(demo_logo()), save=False)
        event.save(update_fields=["logo"])


NEXT_SLUG = "lisboa-2027"


def seed_next_edition() -> Event:
    """The next edition, three years on, with accreditation open when the demo is first
    loaded, so that the request form, status pages and review queue can be tried."""
    today = timezone.localdate()
    starts_on = today + dt.timedelta(days=120)
    opens_at = dt.datetime.combine(today - dt.timedelta(days=21), dt.time(9), tzinfo=BRUSSELS)
    closes_at = dt.datetime.combine(starts_on - dt.timedelta(days=5), dt.time(18), tzinfo=BRUSSELS)
    event, _created = Event.objects.get_or_create(
        slug=NEXT_SLUG,
        defaults={
            "name": {
                "fr": "Sécurité, démocratie et villes — Lisbonne 2027",
                "en": "Security, Democracy and Cities — Lisbon 2027",
            },
            "starts_on": starts_on,
            "ends_on": starts_on + dt.timedelta(days=2),
            "venue": "Centro de Congressos de Lisboa",
            "address": "Praça das Indústrias, 1300-307 Lisboa",
            "city": "Lisboa",
            "city_names": {"fr": "Lisbonne", "en": "Lisbon"},
            "venue_names": {
                "fr": "Centre de congrès de Lisbonne",
                "en": "Lisbon Congress Centre",
            },
            "sender_name": "Presse — Sécurité, démocratie et villes",
            "sender_email": "presse@conference.example.org",
            "country": "PT",
            "website": "https://conference.example.org",
            "press_email": "presse@conference.example.org",
            "press_phone": "+32 2 555 01 24",
            "accreditation_opens_at": opens_at,
            "accreditation_closes_at": closes_at,
            "press_capacity": 150,
            "per_outlet_limit": 3,
        },
    )
    _give_logo(event)
    return event
