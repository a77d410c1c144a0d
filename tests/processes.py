"""Helpers of the process-level tests: a local SMTP server that logs what it receives,
a database of their own, real `manage.py db_worker` processes.

Every process started here listens on or talks to 127.0.0.1 only, is bounded in time,
and is killed by the test that started it.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpLog:
    """aiosmtpd handler keeping every message received, and the sessions they came on.
    `on_message(count)` is called with the running total before the server answers."""

    def __init__(self, on_message=None):
        self.messages: list[EmailMessage] = []
        self.recipients: list[str] = []
        self.sessions: set[int] = set()
        self.helos = 0
        self.on_message = on_message
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.helos += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.recipients.extend(envelope.rcpt_tos)
            self.sessions.add(id(session))
            count = len(self.messages)
        if self.on_message is not None:
            self.on_message(count)
        return "250 Message accepted"

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.recipients)


def smtp_server(handler: SmtpLog) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def process_env(*, data_dir: Path, smtp_port: int, database_url: str = "", lease: float = 5):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST", "EMAIL_", "ANYMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        DATA_DIR=str(data_dir),
        PRESSE_TEST_SMTP_PORT=str(smtp_port),
        PRESSE_TEST_LEASE_SECONDS=str(lease),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# Run in `manage.py shell`: N journalists on one list, a bilingual release, a mailing
# to the list, scheduled now (its send task and watchdog go to the database queue).
SETUP = """
import json
from contacts.models import ContactList, Journalist
from press.mailings.lifecycle import mailing_schedule
from press.mailings.models import Mailing
from tests.factories import EventFactory
from tests.factories.mailings import bilingual_release

count = {count}
event = EventFactory()
contact_list = ContactList.objects.create(name="Fault test")
journalists = Journalist.objects.bulk_create(
    Journalist(
        first_name="Zoë", last_name=f"Łukasiewicz {{n}}", email=f"j{{n}}@media.example",
        language="fr" if n % 2 else "en", country="BE",
    )
    for n in range(count)
)
Journalist.lists.through.objects.bulk_create(
    Journalist.lists.through(journalist_id=j.pk, contactlist_id=contact_list.pk)
    for j in journalists
)
mailing = Mailing.objects.create(
    release=bilingual_release(event=event), event=event,
    sender_name="Service de presse", sender_email="press@event.example",
)
mailing.lists.set([contact_list])
mailing_schedule(mailing=mailing, by=None)
print(json.dumps({{"mailing": mailing.pk}}))
"""


def prepare(env: dict, *, journalists: int) -> int:
    """Migrate the database and queue a mailing to `journalists`; returns its id."""
    manage(env, "migrate", "--noinput", "-v", "0")
    output = manage(env, "shell", "-c", SETUP.format(count=journalists))
    return json.loads(output.strip().splitlines()[-1])["mailing"]


def start_worker(env: dict, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--interval",
            "0.2",
            "--worker-id",
            name,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def stop(process: subprocess.Popen, *, kill: bool = False) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    if process.stderr is not None:
        process.stderr.close()


DELIVERIES = """
import json
from press.mailings.models import Delivery, Mailing
mailing = Mailing.objects.get(pk={mailing})
print(json.dumps({{
    "state": mailing.state,
    "deliveries": list(Delivery.objects.filter(mailing=mailing).values_list("email", "state")),
}}))
"""


def mailing_state(env: dict, mailing: int) -> dict:
    output = manage(env, "shell", "-c", DELIVERIES.format(mailing=mailing), timeout=120)
    return json.loads(output.strip().splitlines()[-1])


def wait_until_sent(env: dict, mailing: int, *, workers, timeout: float = 240) -> dict:
    """Poll until the mailing is sent (or cancelled); fail if a worker died or time ran
    out."""
    deadline = time.monotonic() + timeout
    while True:
        state = mailing_state(env, mailing)
        if state["state"] in ("sent", "cancelled"):
            return state
        for worker in workers:
            if worker.poll() is not None:
                raise AssertionError(f"a worker stopped: {worker.stderr.read().decode()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"mailing {mailing} still {state['state']} after {timeout} s")
        time.sleep(1)
