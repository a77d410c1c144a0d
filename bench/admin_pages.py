"""Benchmark: every back-office list and change page at 100 rows and at full volume.

    .venv/bin/python bench/admin_pages.py [--journalists 100000] [--requests 10000]
                                          [--deliveries 100000] [--coverage 3000]

Loads the volume with bulk_create: journalists (with 2,000 outlets), badge requests of
the current event (each tied to a journalist of the file), invitation deliveries,
check-ins of half the approved requests (today) and coverage items, first 100 of each,
then the rest. At each size it requests, as a logged-in superuser through the test
client, the list and the change page (of its first object) of every model the admin
registers, the office's dashboard and its downloads, the coverage pages (asking
for coverage, the PDF report, the xlsx export), and a draft mailing to a list of up to
LISTED journalists (its change page, its send page and the live recipient count the
change page asks for while recipients are chosen), once to warm up, then REPEAT times
measured: the median time (the machine is shared) and the queries of one request.
With DATABASE_URL set it runs on that PostgreSQL database, whose name must contain
"bench" (its tables are emptied first); otherwise on a throw-away SQLite database.
Prints one line per page, then one JSON object on its last line:
{"pages": [{"page", "queries_small", "queries_full", "ms_full"}, ...], ...}.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SMALL = 100
OUTLETS = 2000
LISTED = 10000  # members of the draft mailing's list at full volume
CHUNK = 5000
REPEAT = 3


def setup(data_dir: str) -> str:
    os.environ["DATA_DIR"] = data_dir
    if not os.environ.get("DATABASE_URL"):
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "press.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            sys.exit(f"DATABASE_URL names {name!r}: use a database whose name contains 'bench'.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # the groups and permissions flush removed
    return connection.vendor


def _pdf():
    from django.core.files.base import ContentFile

    return ContentFile(b"%PDF-1.4\n%bench\n", name="card.pdf")


def load(*, journalists: int, requests: int, deliveries: int, coverage: int, done: dict) -> None:
    """Bring the tables up to these counts (rows already there are kept)."""
    from django.utils import timezone

    from contacts.models import ContactList, Journalist, Outlet
    from press.accreditation.models import BadgeRequest
    from press.checkin.models import CheckIn
    from press.coverage.models import CoverageItem
    from press.events.models import Event
    from press.mailings.enums import MailingKind
    from press.mailings.models import Delivery, Mailing

    now = timezone.now()
    event = Event.objects.first()
    if event is None:
        event = Event.objects.create(
            slug="lisbon-2027",
            name={"fr": "Lisbonne 2027", "en": "Lisbon 2027"},
            starts_on=timezone.localdate() + dt.timedelta(days=90),
            ends_on=timezone.localdate() + dt.timedelta(days=92),
            venue="Centro de Congressos",
            city="Lisboa",
            country="PT",
            press_email="press@example.org",
            accreditation_opens_at=now - dt.timedelta(days=1),
            accreditation_closes_at=now + dt.timedelta(days=60),
            press_capacity=max(requests // 4, 1),
            per_outlet_limit=3,
        )
        Outlet.objects.bulk_create(
            Outlet(
                name=f"Outlet {n}",
                kind=["newspaper", "tv", "agency", "online"][n % 4],
                country=["BE", "FR", "PT", "DE", "IT"][n % 5],
            )
            for n in range(OUTLETS)
        )
        Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
        draft = Mailing.objects.create(
            kind=MailingKind.INVITATION,
            event=event,
            subject={"fr": "Relance", "en": "Reminder"},
            message={"fr": "Accréditations ouvertes.", "en": "Accreditation is open."},
        )
        draft.lists.add(ContactList.objects.create(name="Bench list"))
    outlets = list(Outlet.objects.values_list("pk", flat=True))
    mailing = Mailing.objects.filter(kind=MailingKind.INVITATION, event=event).earliest("pk")

    for start in range(done.get("journalists", 0), journalists, CHUNK):
        Journalist.objects.bulk_create(
            Journalist(
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                email=f"j{n}@media{n % 97}.example",
                outlet_id=outlets[n % len(outlets)],
                country=["BE", "FR", "PT", "DE", "IT"][n % 5],
                language=["fr", "en"][n % 2],
                erased_at=now if n % 500 == 0 else None,
            )
            for n in range(start, min(start + CHUNK, journalists))
        )
    listed = min(journalists, LISTED)
    members = Journalist.lists.through
    contact_list = ContactList.objects.get(name="Bench list")
    listed_pks = Journalist.objects.order_by("pk").values_list("pk", flat=True)
    members.objects.bulk_create(
        members(contactlist_id=contact_list.pk, journalist_id=pk)
        for pk in listed_pks[done.get("listed", 0) : listed]
    )
    photo = _pdf()
    photo_name = None
    journalist_pks = list(Journalist.objects.order_by("pk").values_list("pk", flat=True)[:requests])
    for start in range(done.get("requests", 0), requests, CHUNK):
        rows = []
        for n in range(start, min(start + CHUNK, requests)):
            row = BadgeRequest(
                event=event,
                journalist_id=journalist_pks[n] if n < len(journalist_pks) else None,
                state=["submitted", "approved", "waitlisted", "rejected"][n % 4],
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                email=f"j{n}@media{n % 97}.example",
                phone="+32470000000",
                nationality="BE",
                outlet_id=outlets[n % len(outlets)] if n % 10 else None,
                outlet_name=f"Outlet {n % len(outlets)}",
                outlet_kind="newspaper",
                outlet_country="BE",
                role="journalist",
                press_card_number=f"BE-{n}",
                press_card_country="BE",
                days=[event.starts_on.isoformat()],
                consent_at=now,
                consent_version="bench",
            )
            if photo_name is None:
                row.press_card.save("card.pdf", photo, save=False)
                photo_name = row.press_card.name
            row.press_card.name = photo_name
            rows.append(row)
        BadgeRequest.objects.bulk_create(rows)
    journalist_ids = list(Journalist.objects.order_by("pk").values_list("pk", "email")[:deliveries])
    for start in range(done.get("deliveries", 0), deliveries, CHUNK):
        Delivery.objects.bulk_create(
            Delivery(
                mailing=mailing,
                journalist_id=journalist_ids[n % len(journalist_ids)][0],
                email=journalist_ids[n % len(journalist_ids)][1],
                language="fr",
                sent_at=now,
                opened_at=now if n % 3 == 0 else None,
            )
            for n in range(start, min(start + CHUNK, deliveries))
        )
    approved = (
        BadgeRequest.objects.filter(event=event, state="approved", check_ins__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    arrived = [pk for index, pk in enumerate(approved) if index % 2 == 0]
    for start in range(0, len(arrived), CHUNK):
        CheckIn.objects.bulk_create(
            CheckIn(badge_request_id=pk, day=timezone.localdate(), at=now, desk=f"desk {pk % 4}")
            for pk in arrived[start : start + CHUNK]
        )
    for start in range(done.get("coverage", 0), coverage, CHUNK):
        CoverageItem.objects.bulk_create(
            CoverageItem(
                event=event,
                url=f"https://news{n % 300}.example/article-{n}",
                headline=f"Article {n}",
                outlet_id=outlets[n % len(outlets)],
                outlet_name=f"Outlet {n % len(outlets)}",
                country=["BE", "FR", "PT", "DE", "IT"][n % 5],
                journalist_id=journalist_pks[n % len(journalist_pks)] if n % 2 else None,
                language=["fr", "en", "pt", "de"][n % 4],
                kind=["print", "online", "radio", "tv", "agency", "social"][n % 6],
                estimated_audience=1000 + n,
            )
            for n in range(start, min(start + CHUNK, coverage))
        )
    done.update(
        journalists=journalists,
        requests=requests,
        deliveries=deliveries,
        coverage=coverage,
        listed=listed,
    )


def pages():
    """(name, url, form data or None) of every registered model's list and of the change
    page of its first object, the invitations page of the review queue, the dashboard
    and coverage pages, and the draft mailing's pages; with form data, a POST."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    found = []
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        try:
            found.append((f"{model._meta.label} list", reverse(f"{prefix}_changelist")))
        except NoReverseMatch:
            continue
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            found.append((f"{model._meta.label} change", reverse(f"{prefix}_change", args=[first])))
    found.append(
        ("accreditation invitations", reverse("admin:accreditation_badgerequest_invitations"))
    )
    from press.dashboard.charts import CHARTS
    from press.events.models import Event

    event = Event.objects.order_by("pk").first()
    query = f"?event={event.pk}" if event else ""
    found.append(("dashboard", reverse("dashboard:index") + query))
    for slug in CHARTS:
        found.append(
            (f"dashboard chart {slug} xlsx", reverse("dashboard:chart", args=[slug]) + query)
        )
    found.append(("dashboard funnels xlsx", reverse("dashboard:funnels") + query))
    for page in ("ask", "report", "export"):
        found.append((f"coverage {page}", reverse(f"admin:coverage_coverageitem_{page}") + query))
    from press.mailings.enums import MailingState
    from press.mailings.models import Mailing

    draft = Mailing.objects.filter(state=MailingState.DRAFT, lists__name="Bench list").first()
    if draft is not None:
        found.append(
            ("mailing draft change", reverse("admin:mailings_mailing_change", args=[draft.pk]))
        )
        found.append(
            ("mailing draft send", reverse("admin:mailings_mailing_send", args=[draft.pk]))
        )
        count = reverse("admin:mailings_mailing_count", args=[draft.pk])
        choice = {"kind": draft.kind, "event": draft.event_id, "lists": draft.lists.get().pk}
        found.append(("mailing draft recipient count", count, choice))
    return [entry if len(entry) == 3 else (*entry, None) for entry in found]


def measure(client) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for name, url, data in pages():
        fetch = partial(client.get, url) if data is None else partial(client.post, url, data)
        fetch()
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = fetch()
                if response.streaming:  # a download: its time includes writing it out
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - started) * 1000)
        elapsed = statistics.median(times)
        figures[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "ms": round(elapsed, 1),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journalists", type=int, default=100000)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--deliveries", type=int, default=100000)
    parser.add_argument("--coverage", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        vendor = setup(data_dir)
        from django.contrib.auth import get_user_model
        from django.test import Client

        user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        client = Client()
        client.force_login(user)
        done: dict = {}
        load(journalists=SMALL, requests=SMALL, deliveries=SMALL, coverage=SMALL, done=done)
        small = measure(client)
        started = time.perf_counter()
        load(
            journalists=args.journalists,
            requests=args.requests,
            deliveries=args.deliveries,
            coverage=args.coverage,
            done=done,
        )
        load_seconds = time.perf_counter() - started
        if vendor == "postgresql":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        full = measure(client)
        rows = []
        for name, figures in full.items():
            before = small.get(name, {"queries": None})
            rows.append(
                {
                    "page": name,
                    "queries_small": before["queries"],
                    "queries_full": figures["queries"],
                    "ms_full": figures["ms"],
                    "status": figures["status"],
                }
            )
            print(
                f"{name:55} {figures['status']} queries {before['queries']} → "
                f"{figures['queries']:4}  {figures['ms']:8.1f} ms"
            )
        print(
            json.dumps(
                {
                    "database": vendor,
                    "journalists": args.journalists,
                    "requests": args.requests,
                    "deliveries": args.deliveries,
                    "coverage": args.coverage,
                    "load_seconds": round(load_seconds, 1),
                    "pages": rows,
                }
            )
        )


if __name__ == "__main__":
    main()
