"""Background tasks of the mailings: they take ids only and call the sending function."""

import datetime as dt
import logging
from typing import Any

from django.tasks import Task, task
from django.utils import timezone

from press.mailings.errors import MailingError
from press.mailings.models import Mailing
from press.mailings.sending import STALE_AFTER, mailing_send

logger = logging.getLogger(__name__)


@task
def send_mailing_task(mailing_id: int) -> dict[str, Any]:
    """Send (or resume) a mailing; a mailing cancelled or not yet due is left alone.
    When another worker still holds a batch, or a killed one left some, the task looks
    again once those rows are stale."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return {"skipped": "missing"}
    try:
        report = mailing_send(mailing=mailing)
    except MailingError as error:
        logger.info("Mailing %s not sent: %s", mailing_id, error.code)
        return {"skipped": error.code}
    if report.unfinished:
        later = send_mailing_task_at(timezone.now() + STALE_AFTER)
        if later is not send_mailing_task:
            later.enqueue(mailing_id)
    return {"sent": report.sent, "failed": report.failed, "skipped": report.skipped}


def send_mailing_task_at(at: dt.datetime | None) -> Task[[int], dict[str, Any]]:
    """The send task to run at `at`; backends that cannot defer run it now, and the
    mailing refuses to go out early (code "not_due")."""
    if at and send_mailing_task.get_backend().supports_defer:
        return send_mailing_task.using(run_after=at)
    return send_mailing_task
