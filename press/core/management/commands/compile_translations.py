from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

from press.core.typography import french_typography


def catalogue_typeset(catalogue: polib.POFile, *, language: str) -> None:
    """French spacing on every French msgstr (and plural form), in memory: the .po keeps
    the plain spaces translators type, only the compiled .mo carries U+202F and U+00A0."""
    if not language.lower().startswith("fr"):
        return
    for entry in catalogue:
        if entry.msgstr:
            entry.msgstr = french_typography(entry.msgstr, html=True)
        for index, text in list(entry.msgstr_plural.items()):
            entry.msgstr_plural[index] = french_typography(text, html=True)


class Command(BaseCommand):
    help = (
        "Compile the gettext catalogues in locale/ (needs no gettext tools installed); "
        "French strings get French typography in the .mo, the .po stays as written."
    )

    def handle(self, *args, **options):
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue_typeset(catalogue, language=po_path.parent.parent.name)
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                shown = (
                    po_path.relative_to(settings.BASE_DIR)
                    if po_path.is_relative_to(settings.BASE_DIR)
                    else po_path
                )
                self.stdout.write(f"compiled {shown}")
