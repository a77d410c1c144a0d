import datetime as dt
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from press.demo.event import BRUSSELS
from press.events.models import Event
from press.releases.enums import ReleaseStatus
from press.releases.models import Attachment, Boilerplate, PressContact, Release, ReleaseVersion

BOILERPLATE = {
    "fr": (
        "Le réseau organisateur rassemble depuis 1987 plus de 250 collectivités locales et "
        "régionales européennes autour de la prévention de la délinquance et de la sécurité "
        "urbaine. Sa conférence internationale a lieu tous les trois ans."
    ),
    "en": (
        "Since 1987 the organising network has brought together more than 250 local and "
        "regional authorities across Europe to work on crime prevention and urban safety. "
        "Its international conference takes place every three years."
    ),
}

# (key, dateline place and date, publish time, embargo, {language: (title, standfirst, body)})
RELEASES = [
    (
        "programme",
        "Bruxelles",
        dt.date(2024, 2, 6),
        dt.datetime(2024, 2, 6, 10, 0, tzinfo=BRUSSELS),
        None,
        {
            "fr": (
                "800 élus et experts attendus à Bruxelles pour parler de sécurité et de démocratie",
                "Du 20 au 22 mars 2024, la conférence internationale réunit des représentants de "
                "150 villes et régions d'Europe et d'ailleurs.",
                "<p>Comment les villes peuvent-elles protéger leurs habitants sans rien céder sur "
                "les libertés ? C'est la question au cœur de la conférence, organisée avec "
                "l'agence régionale de sécurité de Bruxelles.</p>"
                "<h2>Trois jours, quatre thèmes</h2><ul><li>la prévention de la polarisation "
                "et des extrémismes violents ;</li><li>les drogues et la réduction des risques ;"
                "</li><li>la sécurité dans les espaces publics ;</li><li>la participation des "
                "habitants.</li></ul><p>Des visites de terrain permettent aux participants de "
                "découvrir les dispositifs bruxellois.</p>",
            ),
            "en": (
                "800 mayors and experts expected in Brussels to discuss security and democracy",
                "From 20 to 22 March 2024 the international conference brings together "
                "representatives of 150 cities and regions from Europe and beyond.",
                "<p>How can cities keep their residents safe without giving up on freedoms? "
                "That question runs through the conference, co-organised with the Brussels "
                "regional security agency.</p><h2>Three days, four themes</h2><ul><li>preventing "
                "polarisation and violent extremism;</li><li>drugs and harm reduction;</li>"
                "<li>safety in public spaces;</li><li>residents' participation.</li></ul>"
                "<p>Field visits let participants see Brussels' own schemes at work.</p>",
            ),
        },
    ),
    (
        "accreditation",
        "Bruxelles",
        dt.date(2024, 1, 15),
        dt.datetime(2024, 1, 15, 9, 0, tzinfo=BRUSSELS),
        None,
        {
            "fr": (
                "Les accréditations presse sont ouvertes",
                "Les journalistes peuvent demander leur badge jusqu'au 15 mars 2024.",
                "<p>Les demandes se font en ligne, avec une photo récente et une carte de presse "
                "ou une lettre de mission de la rédaction. Les badges sont à retirer à l'accueil "
                "presse sur présentation d'une pièce d'identité.</p>",
            ),
        },
    ),
    (
        "declaration",
        "Bruxelles",
        dt.date(2024, 3, 22),
        dt.datetime(2024, 3, 22, 9, 0, tzinfo=BRUSSELS),
        "future",
        {
            "fr": (
                "Les villes adoptent une déclaration commune sur la sécurité urbaine",
                "Sous embargo : le texte sera rendu public à la clôture de la conférence.",
                "<p>Les participants adoptent une déclaration qui fixe les priorités du réseau "
                "pour les trois prochaines années.</p><blockquote><p>La sécurité est un droit, "
                "et la démocratie en est la condition.</p></blockquote>",
            ),
            "en": (
                "Cities adopt a joint declaration on urban security",
                "Under embargo: the text will be made public when the conference closes.",
                "<p>Participants adopt a declaration setting the network's priorities for the "
                "next three years.</p><blockquote><p>Security is a right, and democracy is its "
                "precondition.</p></blockquote>",
            ),
        },
    ),
]


def seed_releases(event: Event) -> list[Release]:
    boilerplate, _created = Boilerplate.objects.get_or_create(
        name="Réseau organisateur", defaults={"text": BOILERPLATE}
    )
    contact, _created = PressContact.objects.get_or_create(
        email="presse@conference.example.org",
        defaults={
            "name": "Claire Dumont",
            "role": {"fr": "Responsable communication", "en": "Head of communications"},
            "phone": "+32 2 555 01 24",
        },
    )
    releases = []
    for key, place, date, publish_at, embargo, versions in RELEASES:
        first_slug = f"{key}-{event.slug}"
        existing = ReleaseVersion.objects.filter(slug=first_slug).select_related("release").first()
        if existing:
            _attach_files(existing.release, key)
            releases.append(existing.release)
            continue
        embargo_until = None
        if embargo == "future":
            # Always in the future when the demo is loaded, so the embargo is visible.
            embargo_until = (timezone.now() + dt.timedelta(days=30)).replace(
                minute=0, second=0, microsecond=0
            )
        release = Release.objects.create(
            event=event,
            dateline_place=place,
            dateline_date=date,
            status=ReleaseStatus.PUBLISHED,
            publish_at=publish_at,
            embargo_until=embargo_until,
            boilerplate=boilerplate,
        )
        release.contacts.add(contact)
        for language, (title, standfirst, body) in versions.items():
            ReleaseVersion.objects.create(
                release=release,
                language=language,
                title=title,
                standfirst=standfirst,
                body=body,
                slug=first_slug,
            )
        _attach_files(release, key)
        releases.append(release)
    return releases


def demo_photo(*, width=1200, height=800) -> bytes:
    """A JPEG that looks like a photo of a city square at dusk: sky, buildings, lights."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=(int(30 + 180 * shade), int(60 + 90 * shade), int(120 + 40 * shade)),
        )
    x = 0
    for number, (building_width, building_height) in enumerate(
        [(160, 420), (220, 520), (140, 380), (260, 600), (180, 450), (240, 500)]
    ):
        top = height - building_height
        draw.rectangle([x, top, x + building_width, height], fill=(40 + 8 * number, 42, 55))
        for wx in range(x + 16, x + building_width - 20, 36):
            for wy in range(top + 20, height - 40, 48):
                lit = (wx * 7 + wy * 3 + number) % 5 < 2
                draw.rectangle(
                    [wx, wy, wx + 16, wy + 24], fill=(250, 214, 120) if lit else (70, 74, 90)
                )
        x += building_width
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF (at 100 dpi) with the given lines of text."""
    page = Image.new("RGB", (827, 1169), "white")
    draw = ImageDraw.Draw(page)
    title_font = ImageFont.load_default(size=36)
    text_font = ImageFont.load_default(size=22)
    draw.text((70, 80), lines[0], fill="black", font=title_font)
    for number, line in enumerate(lines[1:]):
        draw.text((70, 160 + number * 40), line, fill=(30, 30, 30), font=text_font)
    out = BytesIO()
    page.save(out, "PDF", resolution=100.0)
    return out.getvalue()


PROGRAMME_LINES = [
    "Programme / Programme",
    "20 mars 2024 — Ouverture, séances plénières",
    "21 mars 2024 — Ateliers et visites de terrain",
    "22 mars 2024 — Déclaration finale et clôture",
    "",
    "20 March 2024 — Opening, plenary sessions",
    "21 March 2024 — Workshops and field visits",
    "22 March 2024 — Final declaration and closing",
]

# Files per release key: (file name, content maker, title, caption, credit).
ATTACHMENTS: dict[str, list[tuple[str, Any, dict[str, str], dict[str, str], dict[str, str]]]] = {
    "programme": [
        (
            "programme-2024.pdf",
            lambda: demo_pdf(PROGRAMME_LINES),
            {"fr": "Programme de la conférence", "en": "Conference programme"},
            {},
            {},
        ),
        (
            "bruxelles-place.jpg",
            demo_photo,
            {"fr": "La place au crépuscule", "en": "The square at dusk"},
            {
                "fr": "Le lieu de la conférence, au cœur de Bruxelles.",
                "en": "The conference venue, in the heart of Brussels.",
            },
            {"fr": "Service presse", "en": "Press office"},
        ),
    ],
    "declaration": [
        (
            "declaration-photo.jpg",
            lambda: demo_photo(width=900, height=600),
            {"fr": "Séance plénière", "en": "Plenary session"},
            {},
            {"fr": "Service presse", "en": "Press office"},
        ),
    ],
}


def _attach_files(release: Release, key: str) -> None:
    """Add the demo files once: a release that already has attachments is left alone."""
    if key == "programme" and not release.featured_image:
        release.featured_image = ContentFile(demo_photo(), name="bruxelles-conference.jpg")
        release.featured_credit = {"fr": "Service presse", "en": "Press office"}
        release.save(update_fields=["featured_image", "featured_credit"])
    if release.attachments.exists():
        return
    for order, (name, make, title, caption, credit) in enumerate(ATTACHMENTS.get(key, [])):
        Attachment.objects.create(
            release=release,
            file=ContentFile(make(), name=name),
            title=title,
            caption=caption,
            credit=credit,
            order=order,
        )
