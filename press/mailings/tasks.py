"""Background tasks of the mailings: they take ids only and call the sending functions.

The send task freezes a mailing's recipients and cuts them into batch tasks (parts of
500), which any number of workers share; the watchdog task, queued when the mailing is
scheduled, follows it until it is sent or cancelled and queues the send task again
when the run died with its worker (see press.mailings.sending).
"""

import datetime as dt
import logging
from typing import Any

from django.tasks import Task, task

from press.mailings.errors import MailingError
from press.mailings.models import Mailing
from press.mailings.sending import mailing_recover, mailing_send, mailing_split

logger = logging.getLogger(__name__)


@task
def send_mailing_task(mailing_id: int) -> dict[str, Any]:
    """Start (or resume) a mailing: its pending deliveries become batch tasks; a mailing
    cancelled or not yet due is left alone."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return {"skipped": "missing"}
    try:
        parts = mailing_split(mailing=mailing)
    except MailingError as error:
        logger.info("Mailing %s not sent: %s", mailing_id, error.code)
        return {"skipped": error.code}
    for first_id, last_id in parts:
        send_mailing_part_task.enqueue(mailing_id, first_id, last_id)
    return {"parts": len(parts)}


@task
def send_mailing_part_task(mailing_id: int, first_id: int, last_id: int) -> dict[str, Any]:
    """Send one part of a mailing: its pending deliveries with ids in [first_id, last_id]."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return {"skipped": "missing"}
    try:
        report = mailing_send(mailing=mailing, first_id=first_id, last_id=last_id)
    except MailingError as error:
        logger.info("Mailing %s not sent: %s", mailing_id, error.code)
        return {"skipped": error.code}
    return {"sent": report.sent, "failed": report.failed, "skipped": report.skipped}


@task
def watch_mailing_task(mailing_id: int) -> dict[str, Any]:
    """Resume a mailing whose run died, then look again when its lease ends, until the
    mailing is sent or cancelled."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return {"skipped": "missing"}
    recovery = mailing_recover(mailing=mailing)
    if recovery.resume:
        logger.warning("Mailing %s: its sending run died; queued again", mailing_id)
        send_mailing_task.enqueue(mailing_id)
    if recovery.next_check is not None:
        watch_mailing_later(mailing_id, at=recovery.next_check)
    return {"in_doubt": recovery.in_doubt, "resumed": recovery.resume}


def watch_mailing_later(mailing_id: int, *, at: dt.datetime) -> None:
    """Queue the watchdog for `at`. A backend that cannot defer (the in-process one of
    development and tests) runs each task to its end as it is queued: no run can die
    there while the web process lives, so nothing is watched."""
    if watch_mailing_task.get_backend().supports_defer:
        watch_mailing_task.using(run_after=at).enqueue(mailing_id)


def send_mailing_task_at(at: dt.datetime | None) -> Task[[int], dict[str, Any]]:
    """The send task to run at `at`; backends that cannot defer run it now, and the
    mailing refuses to go out early (code "not_due")."""
    if at and send_mailing_task.get_backend().supports_defer:
        return send_mailing_task.using(run_after=at)
    return send_mailing_task
