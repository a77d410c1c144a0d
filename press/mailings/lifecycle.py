"""A mailing's states around sending: draft → scheduled → sending → sent, or cancelled.

Each move goes through one function here, which refuses what the state does not allow
with a MailingError carrying a code; the sending itself (press.mailings.sending) runs
in the send task these functions queue.
"""

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from press.core.queue import enqueue_on_commit
from press.core.typing import StaffMember
from press.mailings.enums import DeliveryState, MailingState
from press.mailings.errors import MailingError
from press.mailings.models import Mailing
from press.mailings.recipients import mailing_recipient_counts
from press.mailings.rendering import mailing_check
from press.mailings.selectors import mailing_locked
from press.mailings.sending import sending_lease
from press.mailings.tasks import send_mailing_task, send_mailing_task_at, watch_mailing_later


def mailing_schedule_check(*, mailing: Mailing) -> list[str]:
    """Whether a mailing may be sent or scheduled now: it must be a draft ("not_draft")
    with something to send (see mailing_check). Returns its languages."""
    if mailing.state != MailingState.DRAFT:
        raise MailingError("not_draft", _("Only a draft mailing can be sent or scheduled."))
    return mailing_check(mailing=mailing)


def mailing_schedule(
    *, mailing: Mailing, by: StaffMember, at: dt.datetime | None = None
) -> Mailing:
    """Send a draft now (at=None or in the past) or at `at`: draft → scheduled, then the
    send task is queued after commit, and the watchdog that queues it again if its
    worker dies (first look one lease after the sending time). Refuses what
    mailing_schedule_check refuses, and a mailing nobody would receive
    ("no_recipients")."""
    with transaction.atomic():
        locked = mailing_locked(mailing)
        mailing_schedule_check(mailing=locked)
        if mailing_recipient_counts(mailing=locked).total == 0:
            raise MailingError("no_recipients", _("Nobody would receive this mailing."))
        now = timezone.now()
        locked.state = MailingState.SCHEDULED
        locked.scheduled_at = at if at and at > now else now
        locked.scheduled_by = by
        locked.save(update_fields=["state", "scheduled_at", "scheduled_by"])
        later = locked.scheduled_at if locked.scheduled_at > now else None
        enqueue_on_commit(send_mailing_task_at(later), locked.pk)
        transaction.on_commit(
            partial(watch_mailing_later, locked.pk, at=locked.scheduled_at + sending_lease())
        )
    return locked


def mailing_resume(*, mailing: Mailing, by: StaffMember) -> Mailing:
    """Queue the send task again for a mailing being sent whose worker stopped; only
    the recipients still waiting get it. Refuses any other state ("not_sending")."""
    with transaction.atomic():
        locked = mailing_locked(mailing)
        if locked.state != MailingState.SENDING:
            raise MailingError("not_sending", _("Only a mailing being sent can be resumed."))
        enqueue_on_commit(send_mailing_task, locked.pk)
    return locked


def mailing_resend_in_doubt(*, mailing: Mailing, by: StaffMember) -> int:
    """Send the mailing again to the recipients still in doubt (their worker died while
    handing their message over; no provider event has said what became of it): some of
    them may receive it twice, which the back office says before asking. Their
    deliveries go back to waiting, the mailing to "sending" and the send task is queued
    after commit, with the watchdog; who asked and when is recorded. Refuses a mailing
    that is neither sending nor sent ("not_sent") and one with nobody in doubt
    ("none_in_doubt"). Returns how many recipients it is sent to again."""
    with transaction.atomic():
        locked = mailing_locked(mailing)
        if locked.state not in (MailingState.SENDING, MailingState.SENT):
            raise MailingError(
                "not_sent", _("Only a mailing being sent or sent has recipients in doubt.")
            )
        count = locked.deliveries.filter(state=DeliveryState.IN_DOUBT).update(
            state=DeliveryState.PENDING, error="", sending_at=None
        )
        if not count:
            raise MailingError("none_in_doubt", _("Nobody is in doubt for this mailing."))
        now = timezone.now()
        fields = ["doubt_resent_at", "doubt_resent_by"]
        locked.doubt_resent_at, locked.doubt_resent_by = now, by
        if locked.state == MailingState.SENT:
            locked.state, locked.finished_at = MailingState.SENDING, None
            fields += ["state", "finished_at"]
            transaction.on_commit(partial(watch_mailing_later, locked.pk, at=now + sending_lease()))
        locked.save(update_fields=fields)
        enqueue_on_commit(send_mailing_task, locked.pk)
    return count


def mailing_cancel(*, mailing: Mailing, by: StaffMember) -> Mailing:
    """Cancel a draft, a scheduled mailing or the rest of one being sent: deliveries
    not yet handed over become "cancelled". Refuses a mailing already sent or cancelled
    ("not_cancellable")."""
    with transaction.atomic():
        locked = mailing_locked(mailing)
        if locked.state not in MailingState.cancellable():
            raise MailingError("not_cancellable", _("This mailing can no longer be cancelled."))
        locked.deliveries.filter(state=DeliveryState.PENDING).update(state=DeliveryState.CANCELLED)
        locked.state = MailingState.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = by
        locked.save(update_fields=["state", "cancelled_at", "cancelled_by"])
    return locked
