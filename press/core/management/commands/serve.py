import contextlib
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and the task worker together; Ctrl-C (or SIGTERM) stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, "manage.py"]
        # Each in its own process group, so that stopping one also stops what it spawned
        # (runserver's autoreloader runs the server in a child process).
        processes = [
            subprocess.Popen(command, start_new_session=True)  # noqa: S603 - fixed commands
            for command in (
                [*manage, "db_worker", "--interval", "1", "--no-reload"],
                [*manage, "runserver", f"{host}:{port}"],
            )
        ]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Whichever stops first (a signal, or one process dying) stops the other.
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.2)
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.stdout.write("Web server and worker stopped.")
