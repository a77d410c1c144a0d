"""Benchmark: a release mailing leaving through anymail's real Postmark backend.

    .venv/bin/python bench/mailing_provider.py [--journalists 10000] [--latency-ms 50]
        [--workers 1] [--port 0]

A local HTTP server stands in for Postmark's send API (`/email`, and `/email/batch`):
each call is answered after --latency-ms, as a provider far away would. The mailing is
sent by real `manage.py db_worker` processes (--workers of them, sharing the mailing's
batch tasks), with EMAIL_PROVIDER=postmark and ANYMAIL_POSTMARK_API_URL pointed at the
stand-in. The database is PostgreSQL when DATABASE_URL names one (a database of its own,
`presse_mailings_bench_<pid>`, created and dropped here), else a SQLite file in a
temporary folder. Timed from scheduling the mailing until it is sent.

Prints seconds, messages_per_second, peak_rss_mb (the largest resident peak, VmHWM, of
the worker processes), provider_calls, the deliveries' final states, duplicates
(recipients the stand-in received more than once: must be 0) and in_doubt; the last
line is one JSON object.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Provider:
    """What the stand-in received: calls, and recipients with how often each came."""

    def __init__(self, latency: float):
        self.latency = latency
        self.calls = 0
        self.recipients: Counter = Counter()
        self.lock = threading.Lock()


def provider_server(provider: Provider, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Postmark's API

        def log_message(self, *args):
            """Quiet: the stand-in's requests are counted, not printed."""

        def setup(self):
            super().setup()
            # Headers and body leave at once, as a real API's do (no Nagle delay).
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(provider.latency)
            batch = self.path.rstrip("/").endswith("/email/batch")
            messages = body if batch else [body]
            answers = []
            for message in messages:
                answers.append(
                    {
                        "To": message["To"],
                        "SubmittedAt": "2026-12-02T10:00:00.0000000Z",
                        "MessageID": str(uuid.uuid4()),
                        "ErrorCode": 0,
                        "Message": "OK",
                    }
                )
            with provider.lock:
                provider.calls += 1
                for message in messages:
                    provider.recipients[message["To"]] += 1
            data = json.dumps(answers if batch else answers[0]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def database(base_url: str, name: str, *, create: bool) -> str:
    """Create (or drop) a PostgreSQL database of our own next to `base_url`'s."""
    import psycopg

    parts = urlsplit(base_url)
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journalists", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="give up after (s)")
    parser.add_argument("--port", type=int, default=0, help="the stand-in's port (0: any)")
    options = parser.parse_args()

    provider = Provider(options.latency_ms / 1000)
    server = provider_server(provider, options.port)
    base_url = os.environ.get("DATABASE_URL", "")
    db_name = f"presse_mailings_bench_{os.getpid()}"
    workers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="presse-bench-") as data_dir:
        url = database(base_url, db_name, create=True) if base_url else ""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANYMAIL_", "EMAIL_"))}
        env.update(
            DATA_DIR=data_dir,
            DJANGO_SETTINGS_MODULE="press.settings",
            EMAIL_PROVIDER="postmark",
            ANYMAIL_POSTMARK_SERVER_TOKEN="bench-token",
            ANYMAIL_POSTMARK_API_URL=f"http://127.0.0.1:{server.server_port}/",
            LOG_LEVEL="WARNING",
        )
        if url:
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
        os.environ.update(env)
        try:
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
            import django

            django.setup()
            from bench.mailing import load
            from press.mailings.lifecycle import mailing_schedule
            from press.mailings.models import Mailing

            mailing = load(options.journalists)
            for number in range(options.workers):
                workers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "manage.py",
                            "db_worker",
                            "--no-reload",
                            "--interval",
                            "0.1",
                            "--worker-id",
                            f"bench-{number}",
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        start_new_session=True,
                    )
                )
            time.sleep(3)  # the workers are up and polling the queue
            started = time.perf_counter()
            mailing_schedule(mailing=mailing, by=None)
            deadline = started + options.timeout
            while Mailing.objects.filter(pk=mailing.pk, state="sending").exists() or (
                Mailing.objects.filter(pk=mailing.pk, state="scheduled").exists()
            ):
                if time.perf_counter() > deadline:
                    raise SystemExit(f"mailing not sent within {options.timeout} s")
                if any(worker.poll() is not None for worker in workers):
                    raise SystemExit("a worker stopped")
                time.sleep(0.05)
            seconds = time.perf_counter() - started
            peak = max(vm_hwm_mb(worker.pid) for worker in workers)
            states = Counter(mailing.deliveries.values_list("state", flat=True))
        finally:
            for worker in workers:
                if worker.poll() is None:
                    os.kill(worker.pid, signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.kill(worker.pid, signal.SIGKILL)
                    worker.wait()
            server.shutdown()
            if url:
                from django.db import connections

                connections.close_all()
                database(base_url, db_name, create=False)

    sent = states.get("sent", 0)
    figures = {
        "recipients": options.journalists,
        "workers": options.workers,
        "latency_ms": options.latency_ms,
        "database": "postgresql" if base_url else "sqlite",
        "seconds": round(seconds, 2),
        "messages_per_second": round(sent / seconds, 1),
        "peak_rss_mb": round(peak, 1),
        "provider_calls": provider.calls,
        "sent": sent,
        "in_doubt": states.get("in_doubt", 0),
        "failed": states.get("failed", 0),
        "states": dict(states),
        "duplicates": sum(1 for count in provider.recipients.values() if count > 1),
    }
    print(
        f"{sent} of {options.journalists} sent in {seconds:.1f} s by {options.workers} "
        f"worker(s), {provider.calls} provider calls at {options.latency_ms:g} ms."
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
