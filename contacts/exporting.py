"""Exporting journalists to xlsx: streamed rows, so memory stays flat at any size."""

from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.enums import SuppressionReason
from contacts.models import Journalist
from press.core.spreadsheets import write_xlsx, xlsx_response

CHUNK = 2000
COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "outlet__name",
    "job_title",
    "beats",
    "country",
    "city",
    "language",
    "suppression_reason",
)
WIDTHS = [16, 20, 32, 18, 28, 24, 28, 16, 16, 12, 32, 20]


def export_headers() -> list[str]:
    return [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Phone"),
        _("Outlet"),
        _("Job title"),
        _("Beats"),
        _("Country"),
        _("City"),
        _("Language"),
        _("Lists"),
        _("Not mailed because"),
    ]


def _rows(queryset) -> Iterator[tuple]:
    """One tuple per journalist; list names come per chunk from the through table."""
    country_names = {code: str(name) for code, name in countries}
    language_names = {code: str(name) for code, name in settings.LANGUAGES}
    reasons = {reason.value: str(reason.label) for reason in SuppressionReason}
    through = Journalist.lists.through
    values = queryset.filter(erased_at__isnull=True).values_list("pk", *COLUMNS)
    chunk: list[tuple] = []

    def flush():
        lists: dict[int, list[str]] = {}
        memberships = (
            through.objects.filter(journalist_id__in=[row[0] for row in chunk])
            .order_by("contactlist__name")
            .values_list("journalist_id", "contactlist__name")
        )
        for journalist_id, name in memberships:
            lists.setdefault(journalist_id, []).append(name)
        for row in chunk:
            pk, first, last, email, phone, outlet, job, beats, country, city, language, reason = row
            # Empty text becomes None: an empty cell is not written at all.
            yield (
                first or None,
                last or None,
                email,
                phone or None,
                outlet,
                job or None,
                beats or None,
                country_names.get(country),
                city or None,
                language_names.get(language, language),
                ", ".join(lists[pk]) if pk in lists else None,
                reasons.get(reason),
            )

    for row in values.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def journalists_export(*, target, queryset=None) -> int:
    """Write the journalists of `queryset` (all by default; erased ones never) to an
    xlsx file or path. Returns the number of rows written."""
    queryset = Journalist.objects.all() if queryset is None else queryset
    return write_xlsx(
        target,
        title=_("Journalists"),
        headers=export_headers(),
        rows=_rows(queryset),
        widths=WIDTHS,
    )


def journalists_export_response(*, queryset, filename: str = "journalists.xlsx"):
    """The same export as a download for the back office."""
    return xlsx_response(
        filename=filename,
        title=_("Journalists"),
        headers=export_headers(),
        rows=_rows(queryset),
        widths=WIDTHS,
    )
