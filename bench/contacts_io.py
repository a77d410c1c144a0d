"""Benchmark the media file's spreadsheet import and export, each phase's memory in its
own fresh process.

    python bench/contacts_io.py [--import-rows 10000 100000] [--export-rows 10000 100000]

Import: an xlsx with 10 % duplicate addresses (all at the end of the file, each a copy
of an earlier row: the hardest case for deciding in chunks), texts in a shared-strings
table as Excel writes them, into a fresh SQLite database that already holds 1,000 of its
journalists (so some rows update). Each size is previewed (a dry run) and applied, each
in a process of its own. Export: the journalists of a database of the larger export size,
then of the smaller one, each in its own process.

Memory is what a phase adds to its own process: the process's resident peak (VmHWM),
reset (/proc/self/clear_refs) once Django is set up, the data is ready and a two-row
file has been imported (so that libraries loaded once per process are not counted),
minus its resident size at that moment. A child process never inherits the parent's figure the
way ru_maxrss does. Django runs with DEBUG off, as the worker does in production (DEBUG
keeps every query's text). Linux only.

Prints one JSON object on its last line: for each phase and size, seconds and
growth_mb, and the growth ratio of the larger size to the smaller one.
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KNOWN = 1000  # journalists of the import file already in the media file


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
    # As in production: with DEBUG on, Django keeps the text of every query it ran.
    settings.DEBUG = False


def _status(field: str) -> float:
    """A figure of /proc/self/status, in MB."""
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", text).group(1)) / 1024


def measured(phase):
    """Run `phase()` and return its seconds, its own peak and what it added to the
    process (peak minus the resident size before it)."""
    import gc

    gc.collect()
    rest = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
    started = time.perf_counter()
    result = phase()
    seconds = time.perf_counter() - started
    peak = _status("VmHWM")
    return result, {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "growth_mb": round(peak - rest, 1),
    }


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


def counting_queries():
    """A query counter that keeps no query text (CaptureQueriesContext would)."""
    from django.db import connection

    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    return count, connection.execute_wrapper(wrapper)


def warm_up() -> None:
    """Preview a two-row file first, so that what is loaded once per process (translation
    catalogues, phone number metadata, country names, compiled queries) is not counted
    as what the file's size costs."""
    from openpyxl import Workbook

    from contacts.imports.applying import contacts_import

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Prénom", "Nom", "Courriel", "Média", "Pays", "Langue", "Téléphone"])
    sheet.append(["Anne", "Martin", "warm@up.example", "Média 1", "Belgique", "fr", 32470000001])
    buffer = io.BytesIO()
    workbook.save(buffer)
    contacts_import(data=buffer.getvalue(), list_name="Bench", dry_run=True)


def child_import(rows: int, data_dir: str, dry_run: bool) -> dict:
    """Runs in its own process: preview or apply the workbook of `rows` rows."""
    from contacts.imports.applying import contacts_import

    warm_up()
    with open(Path(data_dir) / f"import-{rows}.xlsx", "rb") as handle:
        count, wrapper = counting_queries()
        with wrapper:
            summary, figures = measured(
                lambda: contacts_import(data=handle, list_name="Bench", dry_run=dry_run)
            )
    return {**figures, "queries": count[0], "counts": summary.counts()}


def child_export(rows: int) -> dict:
    """Runs in its own process: export the first `rows` journalists."""
    from contacts.exporting import journalists_export
    from contacts.models import Journalist

    last_pk = Journalist.objects.order_by("pk").values_list("pk", flat=True)[rows - 1]
    queryset = Journalist.objects.filter(pk__lte=last_pk).order_by("pk")
    with tempfile.TemporaryDirectory() as folder:
        written, figures = measured(
            lambda: journalists_export(target=Path(folder) / "export.xlsx", queryset=queryset)
        )
    return {"rows": written, **figures}


def run_child(*arguments: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *arguments],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare_import(data_dir: Path, sizes: list[int]) -> None:
    """A template database holding the known journalists, and one workbook per size."""
    from django.core.management import call_command
    from django.db import connection

    from contacts.models import Journalist

    call_command("migrate", run_syncdb=True, verbosity=0)
    for rows in sizes:
        data, emails = make_workbook(rows, random.Random(3))
        (data_dir / f"import-{rows}.xlsx").write_bytes(data)
    Journalist.objects.bulk_create(
        [Journalist(email=email, first_name="Known") for email in emails[:KNOWN]]
    )
    connection.close()


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


def ratio(large: dict, small: dict) -> float:
    return round(large["growth_mb"] / small["growth_mb"], 2) if small["growth_mb"] else 0.0


def child(arguments: list[str]) -> None:
    kind, rows, data_dir = arguments[0], int(arguments[1]), arguments[2]
    setup_django(data_dir)
    if kind == "export":
        print(json.dumps(child_export(rows)))
    else:
        print(json.dumps(child_import(rows, data_dir, dry_run=kind == "preview")))


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--import-rows", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--export-rows", type=int, nargs=2, default=[10_000, 100_000])
    arguments = parser.parse_args()
    small, large = sorted(arguments.import_rows)
    export_small, export_large = sorted(arguments.export_rows)
    figures: dict = {"import_rows": [small, large], "export_rows": [export_small, export_large]}
    with tempfile.TemporaryDirectory(prefix="presse-bench-") as folder:
        base = Path(folder)
        template = base / "template"
        template.mkdir()
        setup_django(str(template))
        prepare_import(template, [small, large])
        for kind in ("preview", "apply"):
            for rows in (small, large):
                # Each run starts from the same media file: a copy of the template.
                run_dir = base / f"{kind}-{rows}"
                shutil.copytree(template, run_dir)
                result = run_child(kind, str(rows), str(run_dir))
                shutil.rmtree(run_dir)
                print(f"import {kind} {rows}: {result}", file=sys.stderr)
                for name in ("seconds", "growth_mb", "queries"):
                    figures[f"import_{kind}_{rows}_{name}"] = result[name]
                figures[f"import_{kind}_{rows}_counts"] = result["counts"]
            figures[f"import_{kind}_growth_ratio"] = ratio(
                {"growth_mb": figures[f"import_{kind}_{large}_growth_mb"]},
                {"growth_mb": figures[f"import_{kind}_{small}_growth_mb"]},
            )
        export_dir = base / "export"
        export_dir.mkdir()
        os.environ["DATA_DIR"] = str(export_dir)
        from django.db import connections

        connections.close_all()
        from django.conf import settings

        settings.DATABASES["default"]["NAME"] = str(export_dir / "presse.sqlite3")
        from django.core.management import call_command

        call_command("migrate", run_syncdb=True, verbosity=0)
        seed_journalists(export_large)
        connections.close_all()
        exports = {}
        for rows in (export_large, export_small):
            exports[rows] = run_child("export", str(rows), str(export_dir))
            print(f"export {rows}: {exports[rows]}", file=sys.stderr)
            for name in ("seconds", "growth_mb", "peak_rss_mb"):
                figures[f"export_{rows}_{name}"] = exports[rows][name]
        figures["export_growth_ratio"] = ratio(exports[export_large], exports[export_small])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
