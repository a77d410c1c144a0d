"""Recognising the header row and its columns, in French or English."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from contacts.cleaning import text_fold
from contacts.imports.reading import UnreadableSpreadsheet

# Folded header text -> the field it holds. Usual synonyms in both languages.
HEADER_SYNONYMS = {
    "email": [
        "email",
        "e mail",
        "emails",
        "courriel",
        "mail",
        "email address",
        "e mail address",
        "adresse email",
        "adresse e mail",
        "adresse mail",
        "adresse courriel",
        "adresse electronique",
    ],
    "first_name": ["prenom", "first name", "firstname", "given name", "forename"],
    "last_name": ["nom", "last name", "lastname", "surname", "family name", "nom de famille"],
    "full_name": [
        "name",
        "full name",
        "nom complet",
        "nom et prenom",
        "prenom et nom",
        "prenom nom",
        "contact",
        "journaliste",
        "journalist",
    ],
    "outlet": [
        "media",
        "medias",
        "outlet",
        "media outlet",
        "medium",
        "publication",
        "redaction",
        "titre de presse",
        "organisation",
        "organization",
        "company",
        "societe",
        "entreprise",
    ],
    "outlet_kind": ["type de media", "media type", "outlet type", "type", "kind", "categorie"],
    "job_title": ["fonction", "job title", "title", "job", "position", "poste", "role", "titre"],
    "beats": [
        "thematiques",
        "thematique",
        "themes",
        "rubrique",
        "rubriques",
        "beats",
        "beat",
        "topics",
        "sujets",
        "domaines",
    ],
    "country": ["pays", "country"],
    "city": ["ville", "city", "town", "localite"],
    "language": ["langue", "language", "lang", "langue preferee", "preferred language"],
    "phone": [
        "telephone",
        "tel",
        "phone",
        "phone number",
        "telephone number",
        "numero de telephone",
        "mobile",
        "gsm",
        "portable",
        "cell",
    ],
    "notes": ["notes", "note", "remarques", "remarque", "commentaire", "commentaires", "comments"],
}
HEADER_FIELDS = {
    synonym: field_name for field_name, names in HEADER_SYNONYMS.items() for synonym in names
}
# The header row is looked for among the first rows (titles and blank lines above it).
HEADER_SEARCH_ROWS = 20


@dataclass
class Columns:
    header_row: int  # 1-based, as the spreadsheet shows it
    fields: dict[str, int]  # field name -> column index
    unknown: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    headers: dict[int, str] = field(default_factory=dict)  # column index -> header as written


def _cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def header_of(row: tuple, *, row_number: int) -> Columns | None:
    """The columns this row names, when it names an email column; None otherwise."""
    headers = [_cell_text(value) for value in row]
    if "email" not in {HEADER_FIELDS.get(text_fold(text)) for text in headers}:
        return None
    columns = Columns(header_row=row_number, fields={})
    for position, text in enumerate(headers):
        if not text:
            continue
        field_name = HEADER_FIELDS.get(text_fold(text))
        if field_name is None:
            columns.unknown.append(text)
        elif field_name in columns.fields:
            columns.repeated.append(text)
        else:
            columns.fields[field_name] = position
            columns.headers[position] = text
    return columns


def row_has_data(row: tuple) -> bool:
    return any(_cell_text(value) for value in row)


def no_header_error(*, has_data: bool) -> UnreadableSpreadsheet:
    """Why no header was found: the file holds nothing, or no row names an email column."""
    if not has_data:
        return UnreadableSpreadsheet("empty", _("The file has no data."))
    return UnreadableSpreadsheet(
        "no_email_column",
        _(
            "No email column was found. The header row must name it "
            "(for instance “E-mail”, “Courriel” or “Email address”)."
        ),
    )


def columns_find(rows: list[tuple]) -> Columns:
    """The first row naming an email column is the header. Raises UnreadableSpreadsheet
    when none of the first rows does."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = header_of(row, row_number=index + 1)
        if columns is not None:
            return columns
    raise no_header_error(has_data=any(row_has_data(row) for row in rows))
