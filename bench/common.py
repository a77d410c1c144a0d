"""What several benchmarks share: a throw-away database built without migrations, and
waiting for a server started on the loopback to answer its health check."""

import contextlib
import http.client
import os
import subprocess
import time


class NoMigrations(dict):
    """MIGRATION_MODULES that turns every app's migrations off: the tables are made
    straight from the models (much faster for a database thrown away after the run)."""

    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def throwaway_django(data_dir: str, *, mailer: str, **overrides) -> None:
    """Set Django up on a fresh SQLite database in `data_dir`, mail through `mailer`,
    tasks never run, and any other setting given in `overrides`."""
    os.environ["DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "press.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    from django.conf import settings

    settings.MIGRATION_MODULES = NoMigrations()
    settings.MAILERS = {"default": {"BACKEND": mailer}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    for name, value in overrides.items():
        setattr(settings, name, value)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    # Without migrations the database cache's table (made by a migration) is missing.
    call_command("createcachetable", verbosity=0)


def wait_for_health(port: int, *, seconds: float, server: subprocess.Popen | None = None):
    """Return once http://127.0.0.1:`port`/healthz answers 200; stop the run if the
    server exits first or does not answer within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        # Refused or cut off: the server is not listening yet, so try again shortly.
        with contextlib.closing(connection), contextlib.suppress(OSError):
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.25)
    raise SystemExit("gunicorn did not answer /healthz in time")
