"""Benchmark: journalists filling in the badge request form at once, against gunicorn.

    .venv/bin/python bench/load_accreditation.py [--concurrency 30] [--seconds 45]
                                                 [--existing 10000] [--port 8150]

With DATABASE_URL set to PostgreSQL, a throw-away database named after it (suffix
`_bench_<pid>`) is created on that server, migrated and dropped at the end; without it,
SQLite in a temporary DATA_DIR (private files always go to a temporary DATA_DIR). It
loads an event whose accreditation is open, with --existing requests already in (each
tied to a journalist of the media file), starts gunicorn (2 workers, production
settings, debug off) and one task worker (`db_worker`, which sends the confirmation
emails through the console backend), all on 127.0.0.1.

Then --concurrency simulated journalists, each with its own cookies, repeat for
--seconds (at most --max-submissions in all): open the form (GET), send it with a
600×800 JPEG photo and a PDF press card (multipart POST, the CSRF token read from the
page), follow the redirect to the confirmation page. Every client comes from
127.0.0.1, so the form's per-address hourly limit is raised for the run.

Afterwards it waits (at most --drain-seconds) for the worker to send the queued
emails, then checks that every accepted submission has its request row, its photo in
private storage and its confirmation email sent. Prints submissions per second, p50 and
p95 per request kind, errors and lost submissions; the last line is one JSON object with
`submissions_per_second`, `p95_ms` (the worst kind), `errors` and `lost` (target: p95 at
most 500 ms for every kind, no error, nothing lost).
"""

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkin import bench_database, drop_database  # noqa: E402
from common import wait_for_health  # noqa: E402

PYTHON = sys.executable
PORTS = range(8100, 8400)
FORM_PATH = "/fr/accreditation/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501


def photo_jpeg() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), (40, 90, 150))
    ImageDraw.Draw(image).ellipse((150, 120, 450, 520), fill=(230, 190, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def load(existing: int) -> str:
    """Migrate, then an event with accreditation open and `existing` requests, each with
    its journalist. Returns the event's first day (ISO), the day the form asks for."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from contacts.models import Journalist
    from press.accreditation.models import BadgeRequest
    from press.events.models import Event

    call_command("migrate", verbosity=0)
    now = timezone.now()
    today = timezone.localdate()
    event = Event.objects.create(
        slug="bench",
        name={"fr": "Banc d'essai", "en": "Bench"},
        starts_on=today + dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=32),
        venue="Square",
        city="Bruxelles",
        country="BE",
        press_email="press@bench.example",
        press_capacity=existing + 100_000,
        accreditation_opens_at=now - dt.timedelta(days=1),
        accreditation_closes_at=now + dt.timedelta(days=20),
    )
    chunk = 2000
    for start in range(0, existing, chunk):
        numbers = range(start, min(existing, start + chunk))
        journalists = Journalist.objects.bulk_create(
            Journalist(
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                email=f"existing{n}@bench.example",
                language="fr",
            )
            for n in numbers
        )
        BadgeRequest.objects.bulk_create(
            BadgeRequest(
                event=event,
                journalist=journalist,
                first_name=journalist.first_name,
                last_name=journalist.last_name,
                email=journalist.email,
                phone="+32470000000",
                nationality="BE",
                outlet_name=f"Journal {n % 400}",
                outlet_kind="newspaper",
                outlet_country="BE",
                role="journalist",
                days=[event.starts_on.isoformat()],
                consent_at=now,
                consent_version="bench",
            )
            for n, journalist in zip(numbers, journalists, strict=True)
        )
    connections.close_all()
    return event.starts_on.isoformat()


def multipart(fields: dict[str, str | list[str]], files: dict[str, tuple[str, str, bytes]]):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            )
            out.write(item.encode() + b"\r\n")
    for name, (filename, content_type, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Journalist(threading.Thread):
    """One simulated journalist after another on one keep-alive connection: each
    with fresh cookies opens the form, sends it and reads the confirmation page."""

    def __init__(self, *, index, port, deadline, budget, lock, day, photo, think=0.0):
        super().__init__(daemon=True)
        self.index, self.port, self.deadline = index, port, deadline
        self.think = think
        self.rng = random.Random(index)
        self.budget, self.lock, self.day, self.photo = budget, lock, day, photo
        self.timings: dict[str, list[float]] = {"form": [], "submit": [], "confirmation": []}
        self.accepted: list[str] = []
        self.errors: list[str] = []
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, kind, method, path, *, body=None, headers=None, cookies=None):
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise RuntimeError(f"{kind}: {error.__class__.__name__}") from error
        self.timings[kind].append(time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if cookies is not None:
                    cookies[name] = morsel.value
        return response, content

    def one(self, n: int) -> None:
        cookies: dict[str, str] = {}
        response, content = self.request("form", "GET", FORM_PATH, cookies=cookies)
        token = CSRF_FIELD.search(content.decode())
        if response.status != 200 or not token:
            raise RuntimeError(f"form: HTTP {response.status}")
        if self.think:
            # Filling in the form: the next request waits as a person would.
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
        email = f"load{self.index}-{n}@bench.example"
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token[1],
                "first_name": "Zoë",
                "last_name": f"Łukasiewicz {self.index}-{n}",
                "email": email,
                "phone": "+32 470 12 34 56",
                "nationality": "BE",
                "outlet_name": f"Journal {n % 300}",
                "outlet_kind": "newspaper",
                "outlet_country": "FR",
                "outlet_website": "",
                "role": "journalist",
                "press_card_number": f"B-{n}",
                "press_card_country": "BE",
                "days": [self.day],
                "interview_requests": "",
                "accessibility_needs": "",
                "consent": "on",
                "homepage": "",
            },
            {
                "photo": ("portrait.jpg", "image/jpeg", self.photo),
                "press_card": ("carte.pdf", "application/pdf", PDF),
            },
        )
        response, content = self.request(
            "submit",
            "POST",
            FORM_PATH,
            body=body,
            headers={"Content-Type": content_type},
            cookies=cookies,
        )
        location = response.headers.get("Location", "")
        if response.status != 302 or "/sent/" not in location:
            raise RuntimeError(f"submit: HTTP {response.status}")
        self.accepted.append(email)
        response, _content = self.request("confirmation", "GET", location, cookies=cookies)
        if response.status != 200:
            raise RuntimeError(f"confirmation: HTTP {response.status}")

    def run(self) -> None:
        n = 0
        while time.monotonic() < self.deadline:
            with self.lock:
                if self.budget[0] <= 0:
                    break
                self.budget[0] -= 1
            try:
                self.one(n)
            except RuntimeError as error:
                self.errors.append(str(error))
            n += 1
        self.connection.close()


def verify(emails: list[str], drain_seconds: float) -> dict:
    """Every accepted submission: its row, its photo on disk, its confirmation sent."""
    from django.db import connections

    from press.accreditation.emails import RECEIVED
    from press.accreditation.enums import EmailState
    from press.accreditation.models import BadgeRequest, BadgeRequestEmail

    connections.close_all()
    wanted = set(emails)
    deadline = time.monotonic() + drain_seconds
    while True:
        waiting = BadgeRequestEmail.objects.filter(
            template=RECEIVED, to__in=wanted, state=EmailState.QUEUED
        ).count()
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(1)
    requests = {
        r.email: r
        for r in BadgeRequest.objects.filter(email__in=wanted).only("email", "photo", "press_card")
    }
    sent = set(
        BadgeRequestEmail.objects.filter(
            template=RECEIVED, to__in=wanted, state=EmailState.SENT
        ).values_list("to", flat=True)
    )
    missing = {"row": 0, "photo": 0, "email": 0}
    for email in wanted:
        found = requests.get(email)
        if found is None:
            missing["row"] += 1
            continue
        if not (found.photo and found.photo.storage.exists(found.photo.name)):
            missing["photo"] += 1
        if email not in sent:
            missing["email"] += 1
    lost = len(wanted) - sum(
        1
        for email in wanted
        if email in requests
        and requests[email].photo
        and requests[email].photo.storage.exists(requests[email].photo.name)
        and email in sent
    )
    return {"lost": lost, "missing": missing, "emails_waiting": waiting}


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its live children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError, ValueError):
        return total
    return total + sum(cpu_seconds(int(child)) for child in children)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def run_phase(*, port, seconds, think, concurrency, budget, day, photo, processes, first):
    """`concurrency` journalists for `seconds`; their timings, CPU and accepted emails."""
    lock = threading.Lock()
    started = time.monotonic()
    clients = [
        Journalist(
            index=first + i,
            port=port,
            deadline=started + seconds,
            budget=budget,
            lock=lock,
            day=day,
            photo=photo,
            think=think,
        )
        for i in range(concurrency)
    ]
    cpu_before = [cpu_seconds(p.pid) for p in processes]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started
    accepted = [email for client in clients for email in client.accepted]
    kinds = {}
    for kind in ("form", "submit", "confirmation"):
        values = [t for client in clients for t in client.timings[kind]]
        kinds[kind] = {
            "requests": len(values),
            "p50_ms": percentile(values, 0.50),
            "p95_ms": percentile(values, 0.95),
        }
    return {
        "seconds": round(elapsed, 1),
        "submissions": len(accepted),
        "submissions_per_second": round(len(accepted) / elapsed, 1) if elapsed else 0.0,
        "kinds": kinds,
        "p95_ms": max(k["p95_ms"] for k in kinds.values()),
        "errors": [e for client in clients for e in client.errors],
        "accepted": accepted,
        "web_cpu_ms_per_submission": round(
            1000 * (cpu_seconds(processes[0].pid) - cpu_before[0]) / max(1, len(accepted))
        ),
        "worker_cpu_ms_per_submission": round(
            1000 * (cpu_seconds(processes[1].pid) - cpu_before[1]) / max(1, len(accepted))
        ),
    }


def report(name: str, phase: dict) -> None:
    print(f"{name}: {phase['submissions']} submissions in {phase['seconds']} s, "
          f"{phase['submissions_per_second']}/s, errors {len(phase['errors'])}")  # fmt: skip
    for kind, figures in phase["kinds"].items():
        print(
            f"  {kind:13} {figures['requests']:>6} requests  p50 {figures['p50_ms']:>7} ms  "
            f"p95 {figures['p95_ms']:>7} ms"
        )
    for message in sorted(set(phase["errors"]))[:5]:
        print("  error:", message)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--think", type=float, default=2.0, help="seconds filling in the form")
    parser.add_argument("--saturate-seconds", type=float, default=10.0)
    parser.add_argument("--existing", type=int, default=10_000)
    parser.add_argument("--max-submissions", type=int, default=20_000)
    parser.add_argument("--drain-seconds", type=float, default=120.0)
    parser.add_argument("--port", type=int, default=8150)
    args = parser.parse_args()
    if args.port not in PORTS:
        sys.exit(f"Use a port from {PORTS.start} to {PORTS.stop - 1}.")
    if not 1 <= args.seconds <= 300 or not 1 <= args.concurrency <= 100:
        sys.exit("--seconds must be 1–300 and --concurrency 1–100.")
    if not 0 <= args.saturate_seconds <= 120 or not 0 <= args.think <= 60:
        sys.exit("--saturate-seconds must be 0–120 and --think 0–60.")

    with tempfile.TemporaryDirectory(prefix="load-accreditation-") as scratch:
        database_env, pg_name = bench_database(scratch)
        if not pg_name:
            os.environ.pop("DATABASE_URL", None)
        os.environ.update(
            {
                **database_env,
                "DJANGO_SETTINGS_MODULE": "press.settings",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
                "LOG_LEVEL": "WARNING",
                "DATABASE_CONN_MAX_AGE": "600",
                "STATIC_ROOT": str(Path(scratch) / "static"),
                # Every simulated journalist comes from 127.0.0.1.
                "ACCREDITATION_SUBMISSIONS_PER_HOUR": "1000000",
            }
        )
        env = dict(os.environ)
        processes: list[subprocess.Popen] = []
        try:
            load_started = time.monotonic()
            day = load(args.existing)
            load_seconds = round(time.monotonic() - load_started, 1)
            subprocess.run(
                [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
            gunicorn = [PYTHON, "-m", "gunicorn", "press.wsgi", "--bind", f"127.0.0.1:{args.port}",
                        "--workers", "2", "--max-requests", "0", "--timeout", "60",
                        "--log-level", "warning"]  # fmt: skip
            processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env, start_new_session=True))
            processes.append(
                subprocess.Popen(
                    [PYTHON, "manage.py", "db_worker", "--no-reload"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
            wait_for_health(args.port, seconds=60, server=processes[0])
            photo = photo_jpeg()
            budget = [args.max_submissions]
            common = {"port": args.port, "budget": budget, "day": day, "photo": photo,
                      "processes": processes}  # fmt: skip
            # Warm-up: each gunicorn worker renders the form and takes a submission.
            warm = run_phase(seconds=3, think=0, concurrency=2, first=900, **common)
            paced = run_phase(
                seconds=args.seconds,
                think=args.think,
                concurrency=args.concurrency,
                first=0,
                **common,
            )
            saturated = (
                run_phase(
                    seconds=args.saturate_seconds,
                    think=0,
                    concurrency=args.concurrency,
                    first=1000,
                    **common,
                )
                if args.saturate_seconds
                else None
            )
            phases = [warm, paced, *([saturated] if saturated else [])]
            checked = verify([e for p in phases for e in p["accepted"]], args.drain_seconds)
        finally:
            for process in processes:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=15)
                except ProcessLookupError:
                    pass
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            from django.db import connections

            connections.close_all()
            if pg_name:
                drop_database(pg_name)

    report(f"journalists filling in the form ({args.think} s each)", paced)
    if saturated:
        report("no pause between requests (the servers' capacity)", saturated)
    errors = sum(len(p["errors"]) for p in phases)
    print(f"errors {errors}, lost {checked['lost']} {checked['missing']}")
    summary = {
        "database": "postgresql" if pg_name else "sqlite",
        "concurrency": args.concurrency,
        "think_seconds": args.think,
        "seconds": paced["seconds"],
        "existing_requests": args.existing,
        "load_seconds": load_seconds,
        "submissions": paced["submissions"],
        "submissions_per_second": paced["submissions_per_second"],
        **{
            f"{kind}_{key}": value
            for kind, figures in paced["kinds"].items()
            for key, value in figures.items()
            if key != "requests"
        },
        "p95_ms": paced["p95_ms"],
        "web_cpu_ms_per_submission": paced["web_cpu_ms_per_submission"],
        "worker_cpu_ms_per_submission": paced["worker_cpu_ms_per_submission"],
        "max_submissions_per_second": saturated["submissions_per_second"] if saturated else None,
        "saturated_p95_ms": saturated["p95_ms"] if saturated else None,
        "errors": errors,
        "lost": checked["lost"],
        "emails_waiting": checked["emails_waiting"],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
