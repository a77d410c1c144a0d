"""Demo accreditation: field visits, badge collection details, and badge
requests in every state with generated photos. Idempotent: requests are looked up by
(event, email). Rows are written directly, without the emails the domain would send."""

import datetime as dt
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from contacts.models import Journalist
from press.accreditation.models import (
    AccreditationSettings,
    BadgeRequest,
    BadgeRequestState,
    BadgeRequestTransition,
    FieldVisit,
)
from press.accreditation.requests import PRIVACY_NOTICE_VERSION
from press.core.lookups import same_text
from press.demo.event import BRUSSELS
from press.events.models import Event

State = BadgeRequestState

# (name, description, day of the event (0 = first), hour, places)
FIELD_VISITS = [
    (
        {
            "fr": "Salle de consommation à moindre risque",
            "en": "Supervised drug consumption room",
        },
        {
            "fr": "Visite accompagnée par l'équipe de réduction des risques. Pas de photos "
            "des usagers.",
            "en": "Guided by the harm-reduction team. No photographs of service users.",
        },
        1,
        14,
        8,
    ),
    (
        {"fr": "Centre de crise régional", "en": "Regional crisis centre"},
        {
            "fr": "Présentation de la salle de gestion de crise de la Région.",
            "en": "A look at the Region's crisis management room.",
        },
        1,
        10,
        12,
    ),
    (
        {"fr": "Patrouille de prévention de nuit", "en": "Night-time prevention patrol"},
        {"fr": "Avec les gardiens de la paix.", "en": "With the city's street wardens."},
        0,
        21,
        6,
    ),
]

# (state, role, note, days offsets, visit indexes)
REQUESTS = [
    (State.APPROVED, "journalist", "", [0, 1, 2], [1]),
    (State.APPROVED, "photographer", "", [0, 1], [0]),
    (State.APPROVED, "camera", "", [1], [1, 2]),
    (State.APPROVED, "journalist", "", [0, 1, 2], []),
    (State.APPROVED, "technician", "", [1], []),
    (State.APPROVED, "editor", "", [2], [1]),
    (State.SUBMITTED, "journalist", "", [0, 1, 2], [0]),
    (State.SUBMITTED, "photographer", "", [1], [2]),
    (State.SUBMITTED, "journalist", "", [0], []),
    (State.SUBMITTED, "camera", "", [1, 2], [1]),
    (State.WAITLISTED, "journalist", "Capacité presse presque atteinte.", [1], [0]),
    (State.WAITLISTED, "photographer", "", [2], []),
    (State.REJECTED, "journalist", "Aucun justificatif professionnel.", [0], []),
    (State.REJECTED, "technician", "Demande hors délai.", [1], []),
    (State.WITHDRAWN, "journalist", "Plus disponible à ces dates.", [1], []),
    (State.CANCELLED, "journalist", "Demande en double.", [0], []),
]
UNKNOWN_OUTLET = ("Blog urbain indépendant", "online", "BE")
COLOURS = [(11, 61, 99), (120, 40, 60), (30, 110, 80), (150, 90, 20), (70, 60, 130)]
DEMO_PDF = b"%PDF-1.4\n% demo press card\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demo_photo(initials: str, index: int) -> ContentFile:
    image = Image.new("RGB", (400, 500), COLOURS[index % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 80, 280, 240), fill=(235, 225, 210))
    draw.rectangle((90, 270, 310, 500), fill=(235, 225, 210))
    draw.text((185, 380), initials, fill=(20, 20, 20))
    out = BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


def seed_accreditation(event: Event) -> dict:
    AccreditationSettings.objects.get_or_create(
        event=event,
        defaults={
            "badge_pickup_place": {
                "fr": "l'accueil presse, à l'entrée principale du centre de congrès",
                "en": "the press desk at the main entrance of the conference centre",
            },
            "badge_pickup_hours": {
                "fr": "Chaque jour de la conférence, de 8 h à 18 h.",
                "en": "Every day of the conference, 8 am to 6 pm.",
            },
            "practical_information": {
                "fr": "Salle de presse au niveau -1, wifi et casiers disponibles.",
                "en": "Press room on level -1, with wifi and lockers.",
            },
        },
    )
    visits = []
    for name, description, day, hour, capacity in FIELD_VISITS:
        starts_at = dt.datetime.combine(
            event.starts_on + dt.timedelta(days=day), dt.time(hour), tzinfo=BRUSSELS
        )
        visit, _created = FieldVisit.objects.get_or_create(
            event=event,
            name=name,
            defaults={"description": description, "starts_at": starts_at, "capacity": capacity},
        )
        visits.append(visit)
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    journalists = list(
        Journalist.objects.filter(outlet__isnull=False)
        .select_related("outlet")
        .order_by("pk")[: len(REQUESTS)]
    )
    created = 0
    for index, (journalist, spec) in enumerate(zip(journalists, REQUESTS, strict=False)):
        if BadgeRequest.objects.filter(same_text("email", journalist.email), event=event).exists():
            continue
        _request_create(event, journalist, spec, index, visits, reviewer)
        created += 1
    return {"field_visits": len(visits), "badge_requests": created}


def _request_create(event, journalist, spec, index, visits, reviewer):
    state, role, note, day_offsets, visit_indexes = spec
    outlet = journalist.outlet
    outlet_name, outlet_kind, outlet_country = outlet.name, outlet.kind, outlet.country.code
    if index == 8:
        outlet, (outlet_name, outlet_kind, outlet_country) = None, UNKNOWN_OUTLET
    opened = event.accreditation_opens_at or dt.datetime.combine(
        event.starts_on - dt.timedelta(days=60), dt.time(9), tzinfo=BRUSSELS
    )
    submitted = opened + dt.timedelta(days=5 + index // 3, hours=index % 3)
    badge_request = BadgeRequest(
        event=event,
        journalist=journalist,
        state=state,
        language=journalist.language,
        first_name=journalist.first_name,
        last_name=journalist.last_name,
        email=journalist.email,
        phone=journalist.phone,
        nationality=journalist.country.code or "BE",
        outlet=outlet,
        outlet_name=outlet_name,
        outlet_kind=outlet_kind,
        outlet_country=outlet_country or "BE",
        role=role,
        press_card_number=f"{outlet_country or 'BE'}-{event.starts_on.year * 1000 + index}",
        press_card_country=outlet_country or "BE",
        days=[(event.starts_on + dt.timedelta(days=d)).isoformat() for d in day_offsets],
        equipment=["camera"] if role in ("photographer", "camera") else [],
        consent_at=submitted,
        consent_version=PRIVACY_NOTICE_VERSION,
    )
    initials = f"{journalist.first_name[:1]}{journalist.last_name[:1]}"
    badge_request.photo.save("photo.jpg", demo_photo(initials, index), save=False)
    badge_request.press_card.save("press-card.pdf", ContentFile(DEMO_PDF), save=False)
    if state != State.SUBMITTED:
        badge_request.decided_at = submitted + dt.timedelta(days=1)
        badge_request.decided_by = reviewer if state != State.WITHDRAWN else None
        badge_request.decision_note = note
    badge_request.save()
    BadgeRequest.objects.filter(pk=badge_request.pk).update(submitted_at=submitted)
    badge_request.field_visits.set([visits[i] for i in visit_indexes])
    if state != State.SUBMITTED:
        BadgeRequestTransition.objects.create(
            badge_request=badge_request,
            from_state=State.SUBMITTED,
            to_state=state,
            by=badge_request.decided_by,
            note=note,
        )
