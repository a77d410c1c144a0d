"""A real worker killed part-way through a 2,000-recipient mailing, and started again.

`manage.py db_worker` runs in a process of its own on a file SQLite database of its own
and sends through Django's SMTP backend to an aiosmtpd server run by this test, which
SIGKILLs the worker when its 700th message arrives. The worker started again resumes
the mailing by itself (the watchdog task); every recipient then has exactly one message
in the server's log, or is listed in doubt (at most 50, with at most one message), and
nobody has two.
"""

import os
import signal
import threading

from tests.processes import (
    SmtpLog,
    prepare,
    process_env,
    smtp_server,
    start_worker,
    stop,
    wait_until_sent,
)

RECIPIENTS = 2000
KILL_AT = 700


def test_a_worker_killed_mid_mailing_resumes_by_itself_without_sending_twice(tmp_path):
    worker = None
    killed = threading.Event()

    def kill_the_worker(count):
        if count == KILL_AT and worker is not None:
            os.kill(worker.pid, signal.SIGKILL)
            killed.set()

    log = SmtpLog(on_message=kill_the_worker)
    controller, port = smtp_server(log)
    env = process_env(data_dir=tmp_path, smtp_port=port, lease=5)
    workers = []
    try:
        mailing = prepare(env, journalists=RECIPIENTS)
        worker = start_worker(env, "first")
        workers.append(worker)
        assert killed.wait(timeout=240), "the worker never reached its 700th message"
        worker.wait(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        received_before_restart = len(log.messages)
        assert KILL_AT <= received_before_restart < RECIPIENTS

        again = start_worker(env, "second")
        workers.append(again)
        final = wait_until_sent(env, mailing, workers=[again])
    finally:
        for process in workers:
            stop(process, kill=True)
        controller.stop()

    assert final["state"] == "sent"
    counts = log.counts()
    states = dict(final["deliveries"])
    assert len(states) == RECIPIENTS
    in_doubt = {email for email, state in states.items() if state == "in_doubt"}
    assert 1 <= len(in_doubt) <= 50
    assert max(counts.values()) == 1
    assert {email: counts[email] for email in states if email not in in_doubt} == dict.fromkeys(
        set(states) - in_doubt, 1
    )
    assert set(states.values()) == {"sent", "in_doubt"}
    # The 700th message arrived but its worker died before recording it: in doubt.
    assert sum(counts[email] for email in in_doubt) >= 1
