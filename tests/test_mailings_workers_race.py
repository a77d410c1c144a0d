"""Two real `manage.py db_worker` processes share one mailing on PostgreSQL.

The mailing's batch tasks are queued twice over (its send task enqueued twice, so every
part exists twice): both workers race for the same deliveries, which they claim with
SELECT … FOR UPDATE SKIP LOCKED. Every recipient has exactly one message in the local
SMTP server's log, and both workers sent some. Skipped when no PostgreSQL answers on
127.0.0.1:5432, and fails instead under CI=true.
"""

import os
from collections import Counter

import pytest

from tests.processes import (
    SmtpLog,
    manage,
    process_env,
    smtp_server,
    start_worker,
    stop,
    wait_until_sent,
)

RECIPIENTS = 1500
BASE = os.environ.get("PRESSE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

WORKERS_OF_PARTS = """
import json
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(task_path__endswith="send_mailing_part_task")
print(json.dumps([list(row.worker_ids) for row in rows if row.status == "SUCCESSFUL"]))
"""

QUEUE_TWICE = """
from press.mailings.tasks import send_mailing_task
send_mailing_task.enqueue({mailing})
"""


@pytest.fixture
def postgres_database():
    psycopg = pytest.importorskip("psycopg")
    name = f"presse_mailings_race_{os.getpid()}"
    try:
        admin = psycopg.connect(BASE, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no PostgreSQL: {error}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield BASE.rsplit("/", 1)[0].replace("postgresql://", "postgres://") + f"/{name}"
    with psycopg.connect(BASE, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_workers_share_a_mailing_and_nobody_gets_it_twice(tmp_path, postgres_database):
    from tests.processes import prepare

    log = SmtpLog()
    controller, port = smtp_server(log)
    env = process_env(data_dir=tmp_path, smtp_port=port, database_url=postgres_database)
    workers = []
    try:
        mailing = prepare(env, journalists=RECIPIENTS)
        manage(env, "shell", "-c", QUEUE_TWICE.format(mailing=mailing))
        workers = [start_worker(env, "one"), start_worker(env, "two")]
        final = wait_until_sent(env, mailing, workers=workers)
        part_workers = manage(env, "shell", "-c", WORKERS_OF_PARTS)
    finally:
        for worker in workers:
            stop(worker)
        controller.stop()

    counts = log.counts()
    states = dict(final["deliveries"])
    assert set(states.values()) == {"sent"}
    assert counts == Counter(dict.fromkeys(states, 1))
    import json

    by_worker = Counter(ids[0] for ids in json.loads(part_workers.strip().splitlines()[-1]))
    assert set(by_worker) == {"one", "two"}
