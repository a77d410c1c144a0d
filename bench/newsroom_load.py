"""Benchmark: the public newsroom under load, against gunicorn (2 workers) on loopback.

    .venv/bin/python bench/newsroom_load.py [--seconds 15] [--concurrency 8] [--port 8142]

With DATABASE_URL set (PostgreSQL), the server runs against that database; otherwise
against a throw-away SQLite database in a temporary DATA_DIR. The database is migrated
and given the demo data (seed_demo, idempotent), static files are collected into a
temporary folder, then gunicorn starts with 2 workers on 127.0.0.1 and debug off.

Five request kinds are measured one after another, each for a fifth of --seconds and at
most --max-requests requests, by --concurrency client threads on keep-alive
connections: /healthz (the floor), the newsroom index, a release page, the feed and a
static file. For each: requests per second, p50 and p99 in milliseconds, errors, and
the ratio of its requests per second to /healthz's in the same run. Gunicorn is stopped
at the end whatever happens. The last line is one JSON object with index_ratio and
release_ratio (target: both at least 0.8).
"""

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import wait_for_health  # noqa: E402

PYTHON = sys.executable
PORTS = range(8100, 8200)


def manage(*args: str, env: dict) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def release_path(env: dict) -> str:
    code = (
        "import django; django.setup();"
        "from press.releases.models import Release, ReleaseVersion;"
        "v = ReleaseVersion.objects.filter(release__in=Release.objects.public(), language='fr')"
        ".order_by('-release__publish_at').first();"
        "print(v.get_absolute_url() if v else '')"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    path = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    if not path:
        sys.exit("No public release in the database: seed_demo made none.")
    return path


def hammer(port: int, path: str, *, seconds: float, concurrency: int, max_requests: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [max_requests]

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(share: float) -> float:
        if not latencies:
            return 0.0
        return round(1000 * latencies[min(len(latencies) - 1, int(share * len(latencies)))], 2)

    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=50_000, help="per request kind")
    parser.add_argument("--port", type=int, default=8142)
    args = parser.parse_args()
    if args.port not in PORTS:
        sys.exit("Use a port from 8100 to 8199.")
    if not 1 <= args.seconds <= 300 or not 1 <= args.concurrency <= 64:
        sys.exit("--seconds must be 1–300 and --concurrency 1–64.")

    with tempfile.TemporaryDirectory(prefix="newsroom-load-") as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "press.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "LOG_LEVEL": "WARNING",
            "DATABASE_CONN_MAX_AGE": "600",
        }
        if not os.environ.get("DATABASE_URL"):
            env["DATA_DIR"] = scratch
        database = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", env=env)
        manage("collectstatic", "--noinput", env=env)
        path = release_path(env)
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "press.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "2",
                "--max-requests",
                "0",
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            wait_for_health(args.port, seconds=30, server=server)
            kinds = {
                "healthz": "/healthz",
                "index": "/fr/",
                "release": path,
                "feed": "/fr/communiques/flux.xml",
                "static": "/static/core/site.css",
            }
            phase = args.seconds / len(kinds)
            # One warm-up pass so each page's first rendering is not counted.
            for target in kinds.values():
                hammer(args.port, target, seconds=0.5, concurrency=2, max_requests=20)
            results = {
                name: hammer(
                    args.port,
                    target,
                    seconds=phase,
                    concurrency=args.concurrency,
                    max_requests=args.max_requests,
                )
                for name, target in kinds.items()
            }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()

    floor = results["healthz"]["rps"] or 1.0
    for name, figures in results.items():
        figures["ratio"] = round(figures["rps"] / floor, 2)
        print(
            f"{name:8} {figures['rps']:>8} req/s  p50 {figures['p50_ms']:>7} ms  "
            f"p99 {figures['p99_ms']:>7} ms  errors {figures['errors']}  "
            f"ratio {figures['ratio']}"
        )
    summary = {
        "database": database,
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "healthz_rps": results["healthz"]["rps"],
        **{f"{name}_{key}": value for name, r in results.items() for key, value in r.items()},
        "index_ratio": results["index"]["ratio"],
        "release_ratio": results["release"]["ratio"],
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
