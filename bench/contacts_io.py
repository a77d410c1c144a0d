"""Benchmark the media file's spreadsheet import and export.

    python bench/contacts_io.py [IMPORT_ROWS] [EXPORT_ROWS]
    python bench/contacts_io.py --import-rows 2000 --export-rows 10000

Defaults: a 10,000-row xlsx with 10% duplicate addresses, texts in a shared-strings
table as Excel writes them (and 1,000 of its journalists already in the media file, so
some rows update), imported into a fresh SQLite database;
then 100,000 journalists exported, and again a tenth of them, each export in its own
process so peak memory is measured separately. Prints one JSON object on its last
line: import_rows, import_seconds, import_queries, export_rows, export_seconds,
export_peak_rss_mb, export_rss_ratio.
"""

import argparse
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str) -> None:
    os.environ["DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "press.settings")
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    # Build tables from the models directly, as the tests do: fast and always current.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}


def make_workbook(rows: int, rng: random.Random) -> tuple[bytes, list[str]]:
    from openpyxl import Workbook

    countries = ["Belgique", "France", "Germany", "Italie", "Spain", "NL", "Portugal", "Poland"]
    languages = ["fr", "en", "English", "Français", "de"]
    unique = rows - rows // 10
    emails = [f"journalist{index}@outlet{index % 300}.example" for index in range(unique)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(["Liste presse — export du CRM"])
    sheet.append([])
    sheet.append(
        ["Prénom", "Nom", "Courriel", "Média", "Pays", "Langue", "Téléphone", "Fonction", "Ville"]
    )
    order = list(range(unique)) + [rng.randrange(unique) for _ in range(rows - unique)]
    for index in order:
        email = emails[index]
        if index % 7 == 0:
            email = email.upper()
        sheet.append(
            [
                f"Prénom{index}",
                f"Nom{index}",
                email,
                f"Média {index % 300}",
                countries[index % len(countries)],
                languages[index % len(languages)],
                32470000000 + index,
                "Journaliste",
                "Bruxelles" if index % 2 else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return with_shared_strings(buffer.getvalue()), emails


INLINE_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(.*?)</t></is></c>')
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def with_shared_strings(data: bytes) -> bytes:
    """openpyxl writes every text cell inline; Excel, LibreOffice and Google Sheets keep
    texts in a shared-strings table. Rewrite the file the way they do, so the import
    reads what people actually send."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: dict[str, int] = {}

    def share(match):
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    sheet = INLINE_CELL.sub(share, source.read("xl/worksheets/sheet1.xml").decode())
    table = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = source.read(name).decode()
            if name == "xl/worksheets/sheet1.xml":
                body = sheet
            elif name == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{SHARED_STRINGS_TYPE}"/>'
                )
                body = body.replace("</Types>", override + "</Types>")
            elif name == "xl/_rels/workbook.xml.rels":
                relation = (
                    f'<Relationship Id="rIdShared" Type="{SHARED_STRINGS_REL}" '
                    'Target="sharedStrings.xml"/>'
                )
                body = body.replace("</Relationships>", relation + "</Relationships>")
            target.writestr(name, body)
        target.writestr("xl/sharedStrings.xml", table)
    return output.getvalue()


def bench_import(rows: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contacts.imports.applying import contacts_import
    from contacts.models import Journalist

    call_command("migrate", run_syncdb=True, verbosity=0)
    rng = random.Random(3)
    data, emails = make_workbook(rows, rng)
    Journalist.objects.bulk_create(
        [Journalist(email=email, first_name="Known") for email in emails[:1000]]
    )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        plan = contacts_import(data=data, list_name="Bench")
        seconds = time.perf_counter() - started
    return {
        "import_rows": rows,
        "import_seconds": round(seconds, 2),
        "import_queries": len(queries),
        "import_counts": plan.counts(),
    }


def seed_journalists(total: int) -> None:
    from contacts.models import ContactList, Journalist, Outlet

    missing = total - Journalist.objects.count()
    outlets = list(Outlet.objects.all()[:300])
    contact_list = ContactList.objects.get_or_create(name="Export")[0]
    batch = []
    for index in range(missing):
        batch.append(
            Journalist(
                email=f"seed{index}@media.example",
                first_name=f"Prénom{index}",
                last_name=f"Nom{index}",
                phone=f"+3247{index:07d}",
                outlet=outlets[index % len(outlets)] if outlets else None,
                job_title="=SUM(A1)" if index % 1000 == 0 else "Journaliste",
                beats="security, cities",
                country="BE",
                city="Bruxelles",
                language="fr" if index % 2 else "en",
            )
        )
        if len(batch) == 5000:
            Journalist.objects.bulk_create(batch)
            batch = []
    Journalist.objects.bulk_create(batch)
    through = Journalist.lists.through
    ids = Journalist.objects.values_list("pk", flat=True)
    through.objects.bulk_create(
        [through(journalist_id=pk, contactlist_id=contact_list.pk) for pk in ids if pk % 3 == 0],
        batch_size=5000,
        ignore_conflicts=True,
    )


def child_export(rows: int) -> dict:
    """Runs in its own process: export the first `rows` journalists."""
    from contacts.exporting import journalists_export
    from contacts.models import Journalist

    last_pk = Journalist.objects.order_by("pk").values_list("pk", flat=True)[rows - 1]
    queryset = Journalist.objects.filter(pk__lte=last_pk).order_by("pk")
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        written = journalists_export(target=Path(folder) / "export.xlsx", queryset=queryset)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The peak includes Django's own start-up; the growth is what the export added.
    return {
        "rows": written,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "peak_growth_mb": round(peak_mb - before_mb, 1),
    }


def run_child(data_dir: str, rows: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--export-child", str(rows), data_dir],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--export-child":
        setup_django(sys.argv[3])
        print(json.dumps(child_export(int(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("import_rows", nargs="?", type=int, default=10_000)
    parser.add_argument("export_rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--import-rows", dest="import_flag", type=int)
    parser.add_argument("--export-rows", dest="export_flag", type=int)
    arguments = parser.parse_args()
    import_rows = arguments.import_flag or arguments.import_rows
    export_rows = arguments.export_flag or arguments.export_rows
    with tempfile.TemporaryDirectory(prefix="presse-bench-") as data_dir:
        setup_django(data_dir)
        figures = bench_import(import_rows)
        print(f"import: {figures}", file=sys.stderr)
        seed_journalists(export_rows)
        tenth = run_child(data_dir, max(1, export_rows // 10))
        full = run_child(data_dir, export_rows)
        print(f"export tenth: {tenth}; full: {full}", file=sys.stderr)
        figures.update(
            {
                "export_rows": full["rows"],
                "export_seconds": full["seconds"],
                "export_peak_rss_mb": full["peak_rss_mb"],
                "export_rss_ratio": round(full["peak_rss_mb"] / tenth["peak_rss_mb"], 2),
                "export_peak_growth_mb": full["peak_growth_mb"],
                "export_tenth_seconds": tenth["seconds"],
                "export_tenth_peak_rss_mb": tenth["peak_rss_mb"],
            }
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
