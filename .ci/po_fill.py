"""Fill the French catalogue from a JSON object {msgid: msgstr or [singular, plural]}.

Usage: python .ci/po_fill.py translations.json [locale/fr/LC_MESSAGES/django.po]
Run `manage.py makemessages -l fr` first; entries already translated are left alone
unless they are fuzzy. Prints what is still missing.
"""

import json
import sys

import polib


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        source = json.load(handle)
    path = sys.argv[2] if len(sys.argv) > 2 else "locale/fr/LC_MESSAGES/django.po"
    catalogue = polib.pofile(path)
    # Django's French catalogue has three plural forms (0-1, millions, other): every
    # form past the first takes the plural, or gettext falls back to English for n >= 2.
    nplurals = _nplurals(catalogue)
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid_plural and _fill_missing_forms(entry, nplurals):
            continue
        if entry.translated() and "fuzzy" not in entry.flags:
            continue
        text = source.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            singular, plural = text if isinstance(text, list) else (text, text)
            entry.msgstr_plural = {0: singular, **dict.fromkeys(range(1, nplurals), plural)}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
    catalogue.save(path)
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    for msgid in missing:
        print(f"missing: {msgid!r}")
    print(f"{len(missing)} missing")
    return 0


def _nplurals(catalogue) -> int:
    header = catalogue.metadata.get("Plural-Forms", "")
    for part in header.split(";"):
        name, _equals, value = part.strip().partition("=")
        if name == "nplurals" and value.strip().isdigit():
            return int(value)
    return 2


def _fill_missing_forms(entry, nplurals: int) -> bool:
    """Give a translated plural entry the forms it lacks (copies of its last one);
    True when it was translated."""
    forms = entry.msgstr_plural
    if "fuzzy" in entry.flags or not forms.get(0) or not forms.get(1):
        return False
    for index in range(2, nplurals):
        if not forms.get(index):
            forms[index] = forms[1]
    return True


if __name__ == "__main__":
    sys.exit(main())
