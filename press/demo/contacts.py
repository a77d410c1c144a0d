import random

from django.utils import timezone

from contacts.enums import ConsentBasis, ContactSource, OutletKind
from contacts.journalists import journalist_erase, journalist_upsert
from contacts.models import ContactList, Journalist, Outlet, Suppression, email_digest

# Invented outlets, spread across Europe: (name, kind, country, city).
OUTLETS = [
    ("Le Quotidien de Bruxelles", OutletKind.NEWSPAPER, "BE", "Bruxelles"),
    ("Brussels Weekly Review", OutletKind.MAGAZINE, "BE", "Brussels"),
    ("Radio Sambre-Meuse", OutletKind.RADIO, "BE", "Namur"),
    ("Vlaamse Avondpost", OutletKind.NEWSPAPER, "BE", "Antwerpen"),
    ("Télé Capitale", OutletKind.TV, "BE", "Bruxelles"),
    ("Agence Europe Info", OutletKind.AGENCY, "BE", "Bruxelles"),
    ("Le Journal du Rhône", OutletKind.NEWSPAPER, "FR", "Lyon"),
    ("Cités & Territoires", OutletKind.MAGAZINE, "FR", "Paris"),
    ("France Ondes Info", OutletKind.RADIO, "FR", "Paris"),
    ("Métropoles.info", OutletKind.ONLINE, "FR", "Lille"),
    ("Photopresse Sud", OutletKind.PHOTO_AGENCY, "FR", "Marseille"),
    ("Berliner Stadtanzeiger", OutletKind.NEWSPAPER, "DE", "Berlin"),
    ("Kommunal Digital", OutletKind.ONLINE, "DE", "Köln"),
    ("Rheinfunk", OutletKind.RADIO, "DE", "Düsseldorf"),
    ("Il Corriere delle Città", OutletKind.NEWSPAPER, "IT", "Milano"),
    ("Roma Notizie TV", OutletKind.TV, "IT", "Roma"),
    ("Diario Metropolitano", OutletKind.NEWSPAPER, "ES", "Barcelona"),
    ("Agencia Ibérica de Noticias", OutletKind.AGENCY, "ES", "Madrid"),
    ("Jornal das Cidades", OutletKind.NEWSPAPER, "PT", "Lisboa"),
    ("Amsterdamse Courant", OutletKind.NEWSPAPER, "NL", "Amsterdam"),
    ("Lage Landen Nieuws", OutletKind.ONLINE, "NL", "Rotterdam"),
    ("Luxembourg Hebdo", OutletKind.MAGAZINE, "LU", "Luxembourg"),
    ("Gazeta Miejska", OutletKind.NEWSPAPER, "PL", "Warszawa"),
    ("Nordic Urban Report", OutletKind.MAGAZINE, "SE", "Stockholm"),
    ("Helsinki City Radio", OutletKind.RADIO, "FI", "Helsinki"),
    ("Wiener Zeitung am Abend", OutletKind.NEWSPAPER, "AT", "Wien"),
    ("Genève Actualités", OutletKind.ONLINE, "CH", "Genève"),
    ("Dublin Civic Times", OutletKind.NEWSPAPER, "IE", "Dublin"),
    ("London Policy Wire", OutletKind.AGENCY, "GB", "London"),
    ("Athens Metro Daily", OutletKind.NEWSPAPER, "GR", "Athína"),
    ("Independent writers", OutletKind.OTHER, "", ""),
]

FIRST_NAMES = [
    "Camille",
    "Lucas",
    "Emma",
    "Noah",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Sarah",
    "Thomas",
    "Julia",
    "Lukas",
    "Marta",
    "Pieter",
    "Anouk",
    "Giulia",
    "Marco",
    "Elena",
    "Pablo",
    "Inês",
    "João",
    "Katarzyna",
    "Piotr",
    "Ingrid",
    "Mikko",
    "Sophie",
    "Maximilian",
    "Aoife",
    "Niamh",
    "Eleni",
    "Nikos",
    "Fatima",
    "Youssef",
    "Amira",
    "Jan",
    "Eva",
    "Daan",
    "Lotte",
    "Clara",
]
LAST_NAMES = [
    "Lambert",
    "Dubois",
    "Janssens",
    "Maes",
    "Peeters",
    "Moreau",
    "Laurent",
    "Girard",
    "Schneider",
    "Fischer",
    "Weber",
    "Rossi",
    "Bianchi",
    "Romano",
    "García",
    "Fernández",
    "Silva",
    "Santos",
    "de Vries",
    "Bakker",
    "Kowalski",
    "Nowak",
    "Lindqvist",
    "Virtanen",
    "Gruber",
    "Huber",
    "Murphy",
    "Byrne",
    "Papadopoulos",
    "Benali",
    "El Amrani",
    "Haddad",
    "Wouters",
    "Claes",
    "Leclercq",
    "Vermeulen",
    "Novák",
    "Svensson",
    "Bonnet",
]
TITLES = [
    "Journaliste",
    "Reporter",
    "Rédactrice en chef",
    "Correspondent",
    "Photographer",
    "Editor",
    "Chef d'édition",
    "Producer",
    "Camera operator",
    "Freelance journalist",
]
BEATS = [
    "security, cities",
    "justice, policing",
    "local politics",
    "Europe",
    "social affairs",
    "drugs policy, health",
    "urban planning",
    "migration",
    "radicalisation, prevention",
]
FRENCH_SPEAKING = {"BE", "FR", "LU", "CH"}

LISTS = [
    ("Médias belges", "Rédactions belges, francophones et néerlandophones."),
    ("Presse internationale", "Correspondants et rédactions hors de Belgique."),
    ("Sécurité urbaine", "Journalistes qui couvrent la prévention, la police et la justice."),
]

JOURNALIST_COUNT = 150


def _ascii(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def seed_contacts() -> dict:
    rng = random.Random(2024)  # noqa: S311 - demo data, reproducible on purpose
    outlets = []
    for name, kind, country, city in OUTLETS:
        outlet, _created = Outlet.objects.get_or_create(
            name=name, country=country, defaults={"kind": kind, "city": city}
        )
        outlets.append(outlet)
    lists = [
        ContactList.objects.get_or_create(name=name, defaults={"description": text})[0]
        for name, text in LISTS
    ]
    belgian, international, security = lists
    now = timezone.now()
    existing = set(Journalist.objects.values_list("email", flat=True))
    for index in range(JOURNALIST_COUNT):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        outlet = outlets[index % len(outlets)]
        email = f"{_ascii(first)}.{_ascii(last)}{index}@{_ascii(outlet.name)[:18]}.example"
        if email in existing:
            continue
        country = outlet.country or rng.choice(["BE", "FR", "DE", "NL"])
        journalist = Journalist.objects.create(
            first_name=first,
            last_name=last,
            email=email,
            phone=f"+32470{index:06d}",
            outlet=outlet if outlet.country else None,
            job_title=TITLES[index % len(TITLES)],
            beats=BEATS[index % len(BEATS)],
            country=country,
            city=outlet.city,
            language="fr" if country in FRENCH_SPEAKING else "en",
            source=ContactSource.IMPORT if index % 3 == 0 else ContactSource.MANUAL,
            consent_basis=ConsentBasis.LEGITIMATE_INTEREST,
            consent_at=now,
        )
        chosen = [belgian if country == "BE" else international]
        if "security" in journalist.beats or "justice" in journalist.beats or index % 4 == 0:
            chosen.append(security)
        journalist.lists.add(*chosen)
    _seed_erased_contact()
    return {"outlets": len(outlets), "lists": len(lists)}


ERASED_EMAIL = "ancien.contact@demo.example"


def _seed_erased_contact() -> None:
    """One journalist who asked to be erased: an anonymous row and a hashed address."""
    if Suppression.objects.filter(email_hash=email_digest(ERASED_EMAIL)).exists():
        return
    journalist, _created = journalist_upsert(
        email=ERASED_EMAIL,
        source=ContactSource.MANUAL,
        consent_basis=ConsentBasis.LEGITIMATE_INTEREST,
        values={"first_name": "Ancien", "last_name": "Contact", "country": "BE"},
    )
    journalist_erase(journalist=journalist, by=None)
