"""Benchmark printing badges: N approved badges, each with its own 600 × 800 JPEG photo,
printed as one PDF (A6, one per page), each size in a fresh process of its own.

    python bench/badges.py [--sizes 100 1000] [--layout a6|a4-4up]

The parent builds a SQLite database in a temporary DATA_DIR holding the largest number
of approved requests with distinct photos (generated, with noise so that they compress
like photographs), then runs one child per size on a copy of it. A child sets Django
up, loads its badges, prints them with press.badges.printing.badges_print (recording
them as printed, as the command does) and reports its own figures: seconds of printing,
peak_rss_mb (the child's whole resident peak, VmHWM of /proc/self/status: the figure an
operator sees), growth_mb (that peak minus the resident size just before printing, the
peak being reset there through /proc/self/clear_refs) and the PDF's size. A child never
inherits the parent's figure the way ru_maxrss does. Linux only.

Prints one JSON object on its last line: figures per size and memory_ratio, the peak of
the larger size over the peak of the smaller one (target: at most 1.5).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str) -> None:
    os.environ["DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "press.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("S3_BUCKET", None)
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    settings.DEBUG = False


def _status(field: str) -> float:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", text).group(1)) / 1024


def photo(rng: random.Random, index: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.effect_noise((600, 800), 60).convert("RGB")
    tint = Image.new("RGB", (600, 800), (rng.randrange(256), rng.randrange(256), 120))
    image = Image.blend(image, tint, 0.6)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(600), rng.randrange(800)
        draw.ellipse(
            (x, y, x + rng.randrange(40, 220), y + rng.randrange(40, 260)),
            fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
        )
    image = image.filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def prepare(data_dir: Path, count: int) -> None:
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from press.accreditation.models import BadgeRequest, BadgeRequestState
    from press.badges.models import Badge
    from press.events.models import Event

    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("createcachetable", verbosity=0)  # the settings' database cache
    today = timezone.localdate()
    event = Event.objects.create(
        slug="bench",
        name={"fr": "Conférence de test", "en": "Test conference"},
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=32),
        venue="Square",
        city="Bruxelles",
        country="BE",
        press_email="press@example.org",
    )
    rng = random.Random(7)
    roles = ["journalist", "photographer", "camera", "technician", "editor"]
    names = [
        ("Søren", "Łukasiewicz-Ğündoğdu"),
        ("Zoë", "O'Brien"),
        ("Αλέξανδρος", "Παπαδόπουλος"),
        ("Ольга", "Смирнова"),
        ("Claire", "Dumont"),
    ]
    for index in range(count):
        first, last = names[index % len(names)]
        request = BadgeRequest(
            event=event,
            state=BadgeRequestState.APPROVED,
            language="fr" if index % 2 else "en",
            first_name=first,
            last_name=f"{last} {index}",
            email=f"reporter{index}@media.example",
            phone="+32470000000",
            nationality="BE",
            outlet_name=f"Journal {index % 40}",
            outlet_kind="newspaper",
            outlet_country="BE",
            role=roles[index % len(roles)],
            days=[
                (event.starts_on + dt.timedelta(days=d)).isoformat() for d in range(index % 3 + 1)
            ],
            consent_at=timezone.now(),
            consent_version="2024-01",
        )
        request.photo.save("photo.jpg", ContentFile(photo(rng, index)), save=False)
        request.save()
        Badge.objects.create(badge_request=request)
    connection.close()


def child(count: int, layout: str, data_dir: str) -> dict:
    setup_django(data_dir)
    import gc

    from press.badges.printing import badges_print
    from press.badges.selectors import badges_printable

    badges = list(badges_printable()[:count])
    out = Path(data_dir) / "badges.pdf"
    gc.collect()
    rest = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    badges_print(badges=badges, by=None, out=str(out), layout=layout)
    seconds = time.perf_counter() - started
    return {
        "badges": len(badges),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_status("VmHWM"), 1),
        "growth_mb": round(_status("VmHWM") - rest, 1),
        "pdf_mb": round(out.stat().st_size / 1024 / 1024, 1),
    }


def run_child(count: int, layout: str, data_dir: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(count), layout, str(data_dir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), sys.argv[3], sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 1000])
    parser.add_argument("--layout", choices=["a6", "a4-4up"], default="a6")
    arguments = parser.parse_args()
    small, large = sorted(arguments.sizes)
    figures: dict = {"sizes": [small, large], "layout": arguments.layout, "photo": "600x800 JPEG"}
    with tempfile.TemporaryDirectory(prefix="presse-bench-badges-") as folder:
        base = Path(folder)
        template = base / "template"
        template.mkdir()
        setup_django(str(template))
        started = time.perf_counter()
        prepare(template, large)
        print(
            f"prepared {large} requests in {time.perf_counter() - started:.1f} s", file=sys.stderr
        )
        for count in (small, large):
            run_dir = base / f"run-{count}"
            shutil.copytree(template, run_dir)
            result = run_child(count, arguments.layout, run_dir)
            shutil.rmtree(run_dir)
            print(f"{count} badges: {result}", file=sys.stderr)
            for name, value in result.items():
                if name != "badges":
                    figures[f"badges_{count}_{name}"] = value
        figures["memory_ratio"] = round(
            figures[f"badges_{large}_peak_rss_mb"] / figures[f"badges_{small}_peak_rss_mb"], 2
        )
        figures["growth_ratio"] = round(
            figures[f"badges_{large}_growth_mb"] / max(figures[f"badges_{small}_growth_mb"], 0.1), 2
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
