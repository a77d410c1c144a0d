"""Background tasks: they take ids only and call domain functions."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task
def send_mailing_task(mailing_id: int) -> dict:
    """Send (or resume) a mailing; a mailing cancelled or not yet due is left alone."""
    from press.mailings.sending import MailingError, mailing_send
    from press.models import Mailing

    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None:
        return {"skipped": "missing"}
    try:
        report = mailing_send(mailing=mailing)
    except MailingError as error:
        logger.info("Mailing %s not sent: %s", mailing_id, error.code)
        return {"skipped": error.code}
    return {"sent": report.sent, "failed": report.failed, "skipped": report.skipped}
