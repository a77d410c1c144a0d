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
    for entry in catalogue:
        if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        text = source.get(entry.msgid)
        if text is None:
            continue
        if entry.msgid_plural:
            singular, plural = text if isinstance(text, list) else (text, text)
            entry.msgstr_plural = {0: singular, 1: plural}
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


if __name__ == "__main__":
    sys.exit(main())
