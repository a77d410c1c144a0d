from pathlib import Path

import polib
from django.conf import settings


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
    assert catalogue.percent_translated() == 100


def test_french_catalogue_fills_every_plural_form():
    """Django's French has three plural forms; a missing one shows English from n = 2."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po"))
    forms = int(catalogue.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    incomplete = [
        entry.msgid
        for entry in catalogue
        if entry.msgid_plural and not all(entry.msgstr_plural.get(n) for n in range(forms))
    ]
    assert incomplete == []
