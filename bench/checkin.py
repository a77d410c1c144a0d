"""Benchmark: desks scanning badges at once against gunicorn.

    .venv/bin/python bench/checkin.py [--badges 1000] [--desks 10] [--seconds 20]
                                      [--pace 0.5] [--saturate-seconds 5]
                                      [--workers 4] [--threads 4] [--port 8115]

With DATABASE_URL set to PostgreSQL, a throw-away database named after it (suffix
`_bench_<pid>`) is created on that server, migrated, and dropped at the end; without it,
SQLite in a temporary DATA_DIR. It loads an event running today and N approved badge
requests with a badge each, starts gunicorn on 127.0.0.1 (production settings, gthread
workers), logs in one desk session, and runs D desk threads, each posting codes to
checkin:scan with a fresh nonce and `Accept: application/json`: mostly badges not yet
seen, some already checked in, some unknown codes, a few retried nonces.

Two phases. First the desk as it is at the venue: for `--seconds`, each desk waits
`--pace` seconds (±50 %, at random) between one answer and its next scan, the time a
journalist takes to step up; `p50_ms`, `p95_ms`, `p99_ms` and `scans_per_second` are
those of this phase. Then, for `--saturate-seconds`, every desk scans again as soon as it
has its answer (a closed loop): `max_scans_per_second` is what the servers can take,
`saturated_p50_ms` and `saturated_p95_ms` how long a desk then waits.
Afterwards it checks that the server holds exactly one check-in per badge admitted.
Its last line is one JSON object.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = Path(sys.executable).with_name("gunicorn")
BASE_DATABASE_URL = os.environ.get("DATABASE_URL", "")


def bench_database(data_dir: str) -> tuple[dict, str | None]:
    """The environment of the benchmark's own database, and the PostgreSQL database
    to drop afterwards (None for SQLite)."""
    env = {"DATA_DIR": data_dir}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return env, None
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    name = f"{parsed.path.lstrip('/') or 'presse'}_bench_{os.getpid()}"
    admin_url = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urllib.parse.urlunsplit(parsed._replace(path=f"/{name}"))
    return env, name


def drop_database(name: str) -> None:
    import psycopg

    parsed = urllib.parse.urlsplit(BASE_DATABASE_URL)
    admin_url = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load(badges: int) -> tuple[list[str], str, str]:
    """Migrate, then an event today, N approved requests with a badge, a desk user and
    its session. Returns the codes, the session key and a CSRF secret."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from press import permissions
    from press.accreditation.models import BadgeRequest, BadgeRequestState
    from press.badges.models import Badge
    from press.events.models import Event

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    event = Event.objects.create(
        slug="bench",
        name={"fr": "Banc d'essai", "en": "Bench"},
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
        venue="Venue",
        city="Bruxelles",
        country="BE",
        press_email="press@bench.example",
    )
    now = timezone.now()
    requests = BadgeRequest.objects.bulk_create(
        BadgeRequest(
            event=event,
            state=BadgeRequestState.APPROVED,
            first_name=f"Prénom{n}",
            last_name=f"Nom{n}",
            email=f"reporter{n}@bench.example",
            phone="+32470000000",
            nationality="BE",
            outlet_name=f"Journal {n % 50}",
            outlet_kind="newspaper",
            outlet_country="BE",
            role="journalist",
            days=[today.isoformat()],
            consent_at=now,
            consent_version="bench",
        )
        for n in range(badges)
    )
    created = Badge.objects.bulk_create(Badge(badge_request=r) for r in requests)
    user = User.objects.create_user("bench-desk", password=secrets.token_urlsafe(), is_staff=True)
    user.groups.add(Group.objects.get(name=permissions.CHECKIN_DESK))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    from django.db import connections

    connections.close_all()
    return [badge.code for badge in created], session.session_key or "", secrets.token_hex(16)


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/office/checkin/manifest.webmanifest")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


class Desk(threading.Thread):
    """One desk: scans until the deadline, timing each answer."""

    def __init__(self, *, index, port, cookie, csrf, codes, deadline, lock, seen, warmup, pace):
        super().__init__(daemon=True)
        self.rng = random.Random(index)
        self.pace = pace
        self.port, self.cookie, self.csrf = port, cookie, csrf
        self.codes, self.deadline, self.lock, self.seen = codes, deadline, lock, seen
        self.desk = f"Desk {index + 1}"
        self.latencies: list[float] = []
        self.results: dict[str, int] = {}
        self.errors = 0
        self.last_nonce: tuple[str, str] | None = None
        self.warmup_until = warmup

    def pick(self) -> tuple[str, str]:
        roll = self.rng.random()
        if roll < 0.03 and self.last_nonce:
            return self.last_nonce  # a retried request: same code, same nonce
        if roll < 0.08:
            return "unknown-" + secrets.token_urlsafe(12), uuid.uuid4().hex
        if roll < 0.25:
            return self.rng.choice(self.codes), uuid.uuid4().hex  # likely already in
        with self.lock:
            code = self.codes[self.seen[0] % len(self.codes)]
            self.seen[0] += 1
        return code, uuid.uuid4().hex

    def run(self) -> None:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={self.cookie}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
        }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        first = True
        while time.monotonic() < self.deadline:
            if self.pace and not first:
                # The next journalist steps up: half to one and a half times the pace.
                time.sleep(self.pace * self.rng.uniform(0.5, 1.5))
                if time.monotonic() >= self.deadline:
                    break
            first = False
            code, nonce = self.pick()
            self.last_nonce = (code, nonce)
            body = urllib.parse.urlencode({"code": code, "nonce": nonce, "desk": self.desk})
            started = time.perf_counter()
            try:
                connection.request("POST", "/office/checkin/", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status != 200:
                    self.errors += 1
                    continue
                result = json.loads(payload)["result"]
            except (OSError, http.client.HTTPException, ValueError, KeyError):
                self.errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            if started < self.warmup_until:
                continue  # the first seconds warm the workers up and are not counted
            self.latencies.append(elapsed)
            self.results[result] = self.results.get(result, 0) + 1


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=1000)
    parser.add_argument("--desks", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20, help="seconds of paced scans")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.5,
        help="seconds a desk waits between scans (±50 %%); 0 for none",
    )
    parser.add_argument(
        "--saturate-seconds",
        type=float,
        default=5,
        help="seconds of scans with no pause afterwards; 0 to skip",
    )
    parser.add_argument("--warmup", type=float, default=3, help="seconds not counted first")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8115)
    args = parser.parse_args()
    if not 1024 <= args.port <= 65535:
        raise SystemExit("--port must be an unprivileged port (1024–65535)")

    data_dir = tempfile.mkdtemp(prefix="presse-bench-checkin-")
    db_env, pg_name = bench_database(data_dir)
    env = {
        **os.environ,
        **db_env,
        "DJANGO_SETTINGS_MODULE": "press.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # Debug off refuses to start without collected static files: a folder of its own.
        "STATIC_ROOT": os.path.join(data_dir, "static"),
    }
    if pg_name is None:
        env.pop("DATABASE_URL", None)
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    server = None
    try:
        codes, session_key, csrf = load(args.badges)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "press.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--worker-class",
                "gthread",
                "--log-level",
                "warning",
                "--timeout",
                "60",
                "--preload",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for(args.port, server)
        lock, seen = threading.Lock(), [0]

        def run_phase(*, seconds: float, warmup: float, pace: float) -> list[Desk]:
            counted_from = time.perf_counter() + warmup
            deadline = time.monotonic() + warmup + seconds
            desks = [
                Desk(
                    index=i,
                    port=args.port,
                    cookie=session_key,
                    csrf=csrf,
                    codes=codes,
                    deadline=deadline,
                    lock=lock,
                    seen=seen,
                    warmup=counted_from,
                    pace=pace,
                )
                for i in range(args.desks)
            ]
            for desk in desks:
                desk.start()
            for desk in desks:
                desk.join()
            return desks

        paced = run_phase(seconds=args.seconds, warmup=args.warmup, pace=args.pace)
        saturated = (
            run_phase(seconds=args.saturate_seconds, warmup=0, pace=0)
            if args.saturate_seconds > 0
            else []
        )
    finally:
        if server is not None:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    from django.db import connection

    from press.checkin.models import CheckIn, Scan

    latencies = [ms for desk in paced for ms in desk.latencies]
    saturated_latencies = [ms for desk in saturated for ms in desk.latencies]
    results: dict[str, int] = {}
    for desk in paced + saturated:
        for key, count in desk.results.items():
            results[key] = results.get(key, 0) + count
    check_ins = CheckIn.objects.count()
    admitted = Scan.objects.filter(result="ok").values("badge_request").distinct().count()
    figures = {
        "database": connection.vendor,
        "badges": args.badges,
        "desks": args.desks,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
        "pace_seconds": args.pace,
        "seconds": round(args.seconds, 2),
        "scans": len(latencies),
        "errors": sum(desk.errors for desk in paced + saturated),
        "scans_per_second": round(len(latencies) / args.seconds, 1) if args.seconds else 0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else 0,
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1) if latencies else 0,
        "saturate_seconds": round(args.saturate_seconds, 2),
        "saturated_scans": len(saturated_latencies),
        "max_scans_per_second": (
            round(len(saturated_latencies) / args.saturate_seconds, 1)
            if args.saturate_seconds > 0
            else 0
        ),
        "saturated_p50_ms": (
            round(statistics.median(saturated_latencies), 1) if saturated_latencies else 0
        ),
        "saturated_p95_ms": round(percentile(saturated_latencies, 0.95), 1),
        "results": dict(sorted(results.items())),
        "check_ins": check_ins,
        "one_check_in_per_admitted_badge": check_ins == admitted,
        "load_1min": round(os.getloadavg()[0], 2),
    }
    connection.close()
    if pg_name:
        drop_database(pg_name)
    shutil.rmtree(data_dir, ignore_errors=True)
    print(
        f"{figures['scans']} scans by {args.desks} desks pausing {args.pace} s in "
        f"{figures['seconds']} s: {figures['scans_per_second']} scans/s, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
        f"with no pause: {figures['max_scans_per_second']} scans/s, "
        f"p95 {figures['saturated_p95_ms']} ms; errors {figures['errors']}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
