"""Demo coverage for the Brussels 2024 edition (called by press.demo's seed_demo):
articles, broadcasts and posts across Europe, some submitted by accredited journalists
through their personal link. Idempotent: items are looked up by (event, URL), links by
(event, journalist). Rows are written directly, without emails."""

import datetime as dt

from contacts.models import Outlet
from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.coverage.enums import CoverageKind, CoverageSource, InvitationState
from press.coverage.models import CoverageInvitation, CoverageItem
from press.events.models import Event

K = CoverageKind
# (site, outlet name, country, language, kind, headline, day offset, estimated audience)
ITEMS = [
    (
        "lesoir.be",
        "Le Soir",
        "BE",
        "fr",
        K.PRINT,
        "Bruxelles accueille 150 villes pour parler sécurité urbaine",
        0,
        420000,
    ),
    (
        "rtbf.be",
        "RTBF",
        "BE",
        "fr",
        K.TV,
        "Le JT : les villes européennes face aux drogues",
        0,
        650000,
    ),
    (
        "vrt.be",
        "VRT NWS",
        "BE",
        "nl",
        K.TV,
        "Europese steden zoeken samen naar veiligere wijken",
        1,
        900000,
    ),
    (
        "standaard.be",
        "De Standaard",
        "BE",
        "nl",
        K.PRINT,
        "Burgemeesters delen ervaringen met buurtbemiddeling",
        1,
        310000,
    ),
    (
        "bruzz.be",
        "BRUZZ",
        "BE",
        "nl",
        K.ONLINE,
        "Wat Brussel leert van Lissabon en Kopenhagen",
        2,
        120000,
    ),
    (
        "belga.be",
        "Belga",
        "BE",
        "fr",
        K.AGENCY,
        "Ouverture de la conférence européenne sur la sécurité urbaine",
        0,
        None,
    ),
    (
        "lemonde.fr",
        "Le Monde",
        "FR",
        "fr",
        K.PRINT,
        "À Bruxelles, les maires européens misent sur la prévention",
        1,
        480000,
    ),
    (
        "franceinter.fr",
        "France Inter",
        "FR",
        "fr",
        K.RADIO,
        "Villes et sécurité : le modèle bruxellois en question",
        1,
        1200000,
    ),
    (
        "ouest-france.fr",
        "Ouest-France",
        "FR",
        "fr",
        K.ONLINE,
        "Rennes présente son plan de médiation nocturne à Bruxelles",
        2,
        250000,
    ),
    (
        "afp.com",
        "AFP",
        "FR",
        "fr",
        K.AGENCY,
        "Sécurité urbaine : 800 participants réunis à Bruxelles",
        0,
        None,
    ),
    (
        "liberation.fr",
        "Libération",
        "FR",
        "fr",
        K.ONLINE,
        "Salles de consommation : ce que montrent les villes pionnières",
        2,
        180000,
    ),
    (
        "sueddeutsche.de",
        "Süddeutsche Zeitung",
        "DE",
        "de",
        K.PRINT,
        "Europas Städte suchen Wege aus der Angst",
        1,
        350000,
    ),
    (
        "deutschlandfunk.de",
        "Deutschlandfunk",
        "DE",
        "de",
        K.RADIO,
        "Sichere Städte: Was Brüssel anders macht",
        2,
        400000,
    ),
    ("dpa.de", "dpa", "DE", "de", K.AGENCY, "Städtekonferenz in Brüssel eröffnet", 0, None),
    ("taz.de", "taz", "DE", "de", K.ONLINE, "Drogenpolitik: Brüssel als Labor", 3, 90000),
    (
        "elpais.com",
        "El País",
        "ES",
        "es",
        K.PRINT,
        "Las ciudades europeas ensayan la seguridad sin más policía",
        1,
        520000,
    ),
    (
        "rtve.es",
        "RTVE",
        "ES",
        "es",
        K.TV,
        "Barcelona lleva a Bruselas su modelo de mediación",
        2,
        700000,
    ),
    (
        "corriere.it",
        "Corriere della Sera",
        "IT",
        "it",
        K.PRINT,
        "Sicurezza urbana, i sindaci europei a Bruxelles",
        1,
        430000,
    ),
    (
        "rainews.it",
        "RaiNews",
        "IT",
        "it",
        K.ONLINE,
        "Torino e Bologna al forum europeo sulla sicurezza",
        2,
        200000,
    ),
    (
        "publico.pt",
        "Público",
        "PT",
        "pt",
        K.ONLINE,
        "Lisboa mostra em Bruxelas o seu modelo de prevenção",
        1,
        150000,
    ),
    (
        "rtp.pt",
        "RTP",
        "PT",
        "pt",
        K.RADIO,
        "Segurança urbana: autarcas europeus reunidos em Bruxelas",
        2,
        300000,
    ),
    (
        "gazeta.pl",
        "Gazeta Wyborcza",
        "PL",
        "pl",
        K.PRINT,
        "Miasta Europy szukają recepty na bezpieczeństwo",
        2,
        260000,
    ),
    (
        "polskieradio.pl",
        "Polskie Radio",
        "PL",
        "pl",
        K.RADIO,
        "Łódź i Gdańsk na konferencji w Brukseli",
        3,
        180000,
    ),
    (
        "nos.nl",
        "NOS",
        "NL",
        "nl",
        K.TV,
        "Rotterdam deelt aanpak van overlast in Brussel",
        1,
        1100000,
    ),
    (
        "volkskrant.nl",
        "de Volkskrant",
        "NL",
        "nl",
        K.PRINT,
        "Steden willen meer zeggenschap over veiligheid",
        2,
        270000,
    ),
    (
        "politiken.dk",
        "Politiken",
        "DK",
        "da",
        K.ONLINE,
        "København viser vejen i Bruxelles",
        2,
        110000,
    ),
    (
        "svt.se",
        "SVT",
        "SE",
        "sv",
        K.TV,
        "Malmö berättar om förebyggande arbete i Bryssel",
        3,
        500000,
    ),
    (
        "derstandard.at",
        "Der Standard",
        "AT",
        "de",
        K.ONLINE,
        "Wien auf der Städtekonferenz in Brüssel",
        2,
        140000,
    ),
    (
        "irishtimes.com",
        "The Irish Times",
        "IE",
        "en",
        K.PRINT,
        "Dublin joins European cities to rethink urban safety",
        1,
        160000,
    ),
    (
        "theguardian.com",
        "The Guardian",
        "GB",
        "en",
        K.ONLINE,
        "European mayors bet on prevention over policing",
        1,
        900000,
    ),
    (
        "politico.eu",
        "POLITICO Europe",
        "BE",
        "en",
        K.ONLINE,
        "Brussels playbook: cities want a say in EU security policy",
        0,
        300000,
    ),
    (
        "euronews.com",
        "Euronews",
        "FR",
        "en",
        K.TV,
        "Safer cities: what Europe's mayors agreed in Brussels",
        2,
        800000,
    ),
    (
        "linkedin.com",
        "LinkedIn (Efus)",
        "BE",
        "en",
        K.SOCIAL,
        "Highlights of day one in Brussels",
        0,
        40000,
    ),
    (
        "x.com",
        "X (press office)",
        "BE",
        "fr",
        K.SOCIAL,
        "Fil de la conférence : les temps forts",
        1,
        25000,
    ),
    (
        "instagram.com",
        "Instagram (RTBF)",
        "BE",
        "fr",
        K.SOCIAL,
        "Dans les coulisses de la conférence",
        2,
        60000,
    ),
    (
        "ekathimerini.com",
        "Kathimerini",
        "GR",
        "el",
        K.ONLINE,
        "Οι ευρωπαϊκές πόλεις στις Βρυξέλλες για την ασφάλεια",
        3,
        90000,
    ),
]
SUBMITTED_BY_JOURNALISTS = 8


def seed_coverage(event: Event) -> int:
    """The demo coverage of `event`; the first accredited journalists are the authors of
    a few items they submitted themselves, and each accredited journalist has a
    personal link. Returns the number of items."""
    accredited = list(
        BadgeRequest.objects.filter(
            event=event, state=BadgeRequestState.APPROVED, journalist__isnull=False
        )
        .select_related("journalist")
        .order_by("pk")
    )
    outlets = {outlet.name.lower(): outlet for outlet in Outlet.objects.all()}
    for index, (site, name, country, language, kind, headline, day, audience) in enumerate(ITEMS):
        author = (
            accredited[index].journalist
            if index < SUBMITTED_BY_JOURNALISTS and index < len(accredited)
            else None
        )
        CoverageItem.objects.update_or_create(
            event=event,
            url=f"https://www.{site}/2024/03/conference-securite-urbaine-{index + 1}",
            defaults={
                "headline": headline,
                "outlet": outlets.get(name.lower()),
                "outlet_name": name,
                "country": country,
                "language": language,
                "kind": kind,
                "published_on": event.starts_on + dt.timedelta(days=day),
                "estimated_audience": audience,
                "journalist": author,
                "source": CoverageSource.JOURNALIST if author else CoverageSource.STAFF,
            },
        )
    for journalist in (badge_request.journalist for badge_request in accredited):
        if journalist is None:
            continue
        CoverageInvitation.objects.get_or_create(
            event=event,
            journalist=journalist,
            defaults={
                "email": journalist.email,
                "language": journalist.language,
                "state": InvitationState.SENT,
            },
        )
    return len(ITEMS)
