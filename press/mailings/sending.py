"""Sending a mailing, at most once per recipient.

When sending starts the recipients are frozen into Delivery rows (pending). A run
claims at most CLAIM_SIZE (50) pending rows and marks them "sending" in its own
committed transaction *before* handing them to the provider, then records the outcome
of those rows with a few bulk statements. A worker killed mid-claim leaves at most 50
rows in "sending": no run ever hands them over again (they may or may not have reached
the provider). Every claim also renews the mailing's lease; the watchdog task
(press.mailings.tasks.watch_mailing_task, queued when the mailing is scheduled) looks
at the mailing each time the lease should have run out: rows claimed longer ago than
the lease become "in doubt" (a provider event for one of them settles it) and, when
the lease has expired with recipients still waiting, the mailing is queued again, so a
worker that comes back resumes it with nobody's action. Nobody gets the mailing twice
unless staff knowingly send it again to those in doubt
(press.mailings.lifecycle.mailing_resend_in_doubt).
"""

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.suppression import journalist_exclusion, suppression_reasons
from press.core.db import quoted_column, quoted_table
from press.core.emails import message_id
from press.core.typing import StaffMember
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.errors import MailingError
from press.mailings.models import Delivery, Mailing, delivery_token
from press.mailings.recipients import Recipient, mailing_recipients
from press.mailings.rendering import LanguagePack, language_pack, mailing_check, personal_message
from press.mailings.selectors import mailing_locked
from press.releases.access import AccessHolder, release_access_grant

logger = logging.getLogger(__name__)

# Rows inserted per statement when freezing the recipients.
BATCH_SIZE = 500
# Rows claimed, handed over and recorded at a time: the most a killed worker leaves in
# doubt.
CLAIM_SIZE = 50
# Deliveries per batch task: the parts that several workers share.
PART_SIZE = 500
# How long a claim may take before its rows are presumed lost with their worker.
DEFAULT_LEASE = timedelta(minutes=2)


def sending_lease() -> timedelta:
    """MAILINGS_LEASE_SECONDS, else two minutes: longer than a batch of 50 takes to
    leave, short enough that a dead run is picked up again soon."""
    seconds = getattr(settings, "MAILINGS_LEASE_SECONDS", None)
    return timedelta(seconds=seconds) if seconds else DEFAULT_LEASE


def send_concurrency() -> int:
    """MAILINGS_SEND_CONCURRENCY: how many messages of a claim are handed to the provider
    at once, each thread over its own connection (1: one after another, one connection)."""
    return max(1, int(getattr(settings, "MAILINGS_SEND_CONCURRENCY", 1) or 1))


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    in_doubt: int = 0
    batches: int = 0
    # Rows still pending or being handed over by another worker (or left by a killed one).
    unfinished: bool = False


def _freeze(*, mailing: Mailing, by: StaffMember, now: dt.datetime) -> Mailing:
    """Draft or due scheduled mailing → sending, its recipients frozen as deliveries."""
    with transaction.atomic():
        locked = mailing_locked(mailing)
        if locked.state == MailingState.SENDING:
            return locked
        if locked.state not in (MailingState.DRAFT, MailingState.SCHEDULED):
            raise MailingError(
                "not_sendable", _("This mailing has already been sent or cancelled.")
            )
        due = locked.scheduled_at is None or locked.scheduled_at <= now
        if locked.state == MailingState.SCHEDULED and not due:
            raise MailingError("not_due", _("This mailing is scheduled for later."))
        mailing_check(mailing=locked)
        summary = mailing_recipients(mailing=locked)
        _deliveries_insert(mailing=locked, recipients=summary.recipients)
        fields = ["state", "started_at", "recipient_count"]
        if locked.state == MailingState.DRAFT:
            locked.scheduled_at, locked.scheduled_by = now, by
            fields += ["scheduled_at", "scheduled_by"]
        locked.state = MailingState.SENDING
        locked.started_at = now
        locked.recipient_count = summary.total
        locked.save(update_fields=fields)
    return locked


INSERTED_FIELDS = (
    "mailing_id",
    "journalist_id",
    "email",
    "name",
    "language",
    "outlet_kind",
    "token",
    "unsubscribe_token",
    "state",
    "message_id",
    "error",
)


def _deliveries_insert(*, mailing: Mailing, recipients: list[Recipient]) -> None:
    """One pending delivery per recipient, each with fresh tokens. A plain executemany:
    bulk_create prepares every field of every row and was a third of a 10,000-recipient
    mailing's time."""
    columns = ", ".join(quoted_column(Delivery, name) for name in INSERTED_FIELDS)
    marks = ", ".join(["%s"] * len(INSERTED_FIELDS))
    sql = f"INSERT INTO {quoted_table(Delivery)} ({columns}) VALUES ({marks})"  # noqa: S608
    rows = [
        (
            mailing.pk,
            recipient.journalist_id,
            recipient.email,
            recipient.name[:200],
            recipient.language,
            recipient.outlet_kind,
            delivery_token(),
            delivery_token(),
            DeliveryState.PENDING.value,
            "",
            "",
        )
        for recipient in recipients
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def mailing_send(
    *,
    mailing: Mailing,
    by: StaffMember = None,
    batch_size: int = CLAIM_SIZE,
    first_id: int | None = None,
    last_id: int | None = None,
) -> SendReport:
    """Send a mailing, or resume one being sent; with `first_id` and `last_id`, only the
    deliveries whose ids lie between them (one batch task's part). A draft or a due
    scheduled mailing is frozen first (its deliveries created, state "sending"); then
    claims of at most `batch_size` (capped at CLAIM_SIZE) pending deliveries go out,
    MAILINGS_SEND_CONCURRENCY at a time, suppressed journalists are skipped at send
    time, a recipient the provider refuses is marked "failed" without stopping the
    others. When no delivery is left pending or being handed over, the mailing is
    "sent". Refuses a sent or cancelled mailing ("not_sendable") and a scheduled one
    that is not due ("not_due")."""
    now = timezone.now()
    mailing = _freeze(mailing=mailing, by=by, now=now)
    report = SendReport(in_doubt=_doubt_stale(mailing=mailing, now=now))
    size = max(1, min(batch_size, CLAIM_SIZE))
    packs: dict[str, LanguagePack] = {}
    with Hand(concurrency=send_concurrency()) as hand:
        while True:
            batch = _claim_batch(mailing=mailing, size=size, first_id=first_id, last_id=last_id)
            if not batch:
                break
            _send_batch(mailing=mailing, batch=batch, packs=packs, report=report, hand=hand)
            report.batches += 1
    report.unfinished = not _finish(mailing=mailing)
    return report


def mailing_split(
    *, mailing: Mailing, by: StaffMember = None, part_size: int = PART_SIZE
) -> list[tuple[int, int]]:
    """Freeze the mailing (as mailing_send does, with its refusals) and cut its pending
    deliveries into parts of at most `part_size`, as (first id, last id): each part is
    a batch task that any worker may take. Parts given twice are harmless: a delivery
    is claimed by one worker only."""
    now = timezone.now()
    mailing = _freeze(mailing=mailing, by=by, now=now)
    ids = list(
        mailing.deliveries.filter(state=DeliveryState.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        (ids[start], ids[min(start + part_size, len(ids)) - 1])
        for start in range(0, len(ids), part_size)
    ]


def _doubt_stale(*, mailing: Mailing, now: dt.datetime) -> int:
    """Rows claimed longer ago than the lease: their worker died with them."""
    return mailing.deliveries.filter(
        state=DeliveryState.SENDING, sending_at__lt=now - sending_lease()
    ).update(
        state=DeliveryState.IN_DOUBT,
        error=gettext(
            "The worker stopped while handing this message to the provider: it may or may "
            "not have been sent. Not sent again, so that nobody gets it twice."
        ),
    )


@dataclass
class Recovery:
    """What the watchdog found: rows put in doubt, whether the mailing must be queued
    again, and when to look next (None: the mailing needs no more watching)."""

    in_doubt: int = 0
    resume: bool = False
    next_check: dt.datetime | None = None


def mailing_recover(*, mailing: Mailing, now: dt.datetime | None = None) -> Recovery:
    """Look after a mailing whose worker may have died. Rows claimed longer ago than the
    lease become "in doubt". While the lease runs (a worker is busy with it), look
    again when it ends. Once it has run out, or never started for a due scheduled
    mailing, with deliveries still waiting, the lease is renewed and `resume` says to
    queue the mailing again; with none waiting, the mailing is marked sent. A mailing
    neither scheduled nor sending needs no watching."""
    now = now or timezone.now()
    lease = sending_lease()
    with transaction.atomic():
        locked = mailing_locked(mailing)
        if locked.state == MailingState.SCHEDULED:
            due_since = locked.scheduled_at or now
            expected = max(due_since, locked.lease_until or due_since) + lease
            if expected > now:
                return Recovery(next_check=expected)
            locked.lease_until = now + lease
            locked.save(update_fields=["lease_until"])
            return Recovery(resume=True, next_check=locked.lease_until)
        if locked.state != MailingState.SENDING:
            return Recovery()
        recovery = Recovery(in_doubt=_doubt_stale(mailing=locked, now=now))
        if locked.lease_until and locked.lease_until > now:
            recovery.next_check = locked.lease_until
            return recovery
        if not locked.deliveries.filter(state=DeliveryState.PENDING).exists():
            _finish(mailing=locked)
            locked.refresh_from_db(fields=["state"])
            if locked.state != MailingState.SENDING:
                return recovery
        else:
            recovery.resume = True
        locked.lease_until = now + lease
        locked.save(update_fields=["lease_until"])
        recovery.next_check = locked.lease_until
    return recovery


def _claim_batch(
    *, mailing: Mailing, size: int, first_id: int | None = None, last_id: int | None = None
) -> list[Delivery]:
    """Mark up to `size` pending deliveries "sending" and commit before any is sent;
    renew the mailing's lease with them. Nothing is claimed once the mailing is no
    longer being sent (cancelled)."""
    with transaction.atomic():
        now = timezone.now()
        renewed = Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING).update(
            lease_until=now + sending_lease()
        )
        if not renewed:
            return []
        pending = Delivery.objects.filter(mailing=mailing, state=DeliveryState.PENDING)
        if first_id is not None:
            pending = pending.filter(pk__gte=first_id)
        if last_id is not None:
            pending = pending.filter(pk__lte=last_id)
        ids = list(
            pending.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        Delivery.objects.filter(pk__in=ids).update(state=DeliveryState.SENDING, sending_at=now)
    return list(Delivery.objects.filter(pk__in=ids).select_related("journalist").order_by("pk"))


def _finish(*, mailing: Mailing) -> bool:
    """Mark the mailing sent once no delivery is pending or being handed over; False
    while some are (another worker holds a batch, or a killed one left rows)."""
    unfinished = mailing.deliveries.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])
    if unfinished.exists():
        return not Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING).exists()
    Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING).update(
        state=MailingState.SENT, finished_at=timezone.now()
    )
    return True


class Hand:
    """Hands messages to the provider, `concurrency` at a time: a pool of threads kept
    for the whole run, each with its own open connection (a provider's API answers in
    50-100 ms; one call after another would take minutes for 10,000 recipients). With
    a concurrency of 1, one connection in the calling thread."""

    def __init__(self, *, concurrency: int):
        self.concurrency = concurrency
        self.local = threading.local()
        self.mailers: list[Any] = []
        self.lock = threading.Lock()
        self.pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> "Hand":
        if self.concurrency > 1:
            self.pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="mailing-send")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        for mailer in self.mailers:
            mailer.close()

    def mailer(self) -> Any:
        mailer = getattr(self.local, "mailer", None)
        if mailer is None:
            mailer = self.local.mailer = mailers.default
            mailer.open()
            with self.lock:
                self.mailers.append(mailer)
        return mailer

    def send(self, outgoing: list[tuple[Delivery, Any]], *, mailing: Mailing) -> None:
        """Send each message and set its delivery's state ("sent" or "failed")."""
        if self.pool is None:
            for delivery, message in outgoing:
                self.send_one(delivery, message, mailing=mailing)
            return
        futures = [
            self.pool.submit(self.send_one, delivery, message, mailing=mailing)
            for delivery, message in outgoing
        ]
        for future in futures:
            future.result()

    def send_one(self, delivery: Delivery, message: Any, *, mailing: Mailing) -> None:
        try:
            self.mailer().send_messages([message])
        except Exception as error:  # noqa: BLE001 - one refusal must not stop the rest
            logger.warning("Mailing %s: sending to delivery %s failed", mailing.pk, delivery.pk)
            delivery.state = DeliveryState.FAILED
            delivery.error = f"{type(error).__name__}: {error}"[:2000]
        else:
            delivery.state = DeliveryState.SENT
            delivery.message_id = message_id(message) or ""


def _send_batch(
    *,
    mailing: Mailing,
    batch: list[Delivery],
    packs: dict[str, LanguagePack],
    report: SendReport,
    hand: Hand,
) -> None:
    listed = suppression_reasons([delivery.email for delivery in batch])
    deliverable = []
    for delivery in batch:
        journalist = delivery.journalist
        if journalist is None or journalist_exclusion(journalist, listed=listed):
            delivery.state = DeliveryState.SKIPPED
            report.skipped += 1
            continue
        deliverable.append(delivery)
    read_tokens = _personal_links(mailing=mailing, deliveries=deliverable)
    outgoing = []
    for delivery in deliverable:
        if delivery.language not in packs:
            packs[delivery.language] = language_pack(mailing=mailing, language=delivery.language)
        pack = packs[delivery.language]
        message = personal_message(
            mailing,
            pack,
            to=delivery.email,
            name=delivery.name,
            token=delivery.token,
            unsubscribe_token=delivery.unsubscribe_token,
            delivery_id=delivery.pk,
            read_token=read_tokens.get(delivery.email.strip().lower()),
        )
        outgoing.append((delivery, message))
    hand.send(outgoing, mailing=mailing)
    for delivery, _message in outgoing:
        if delivery.state == DeliveryState.SENT:
            report.sent += 1
        else:
            report.failed += 1
    _record_outcomes(batch, at=timezone.now())


def _personal_links(*, mailing: Mailing, deliveries: list[Delivery]) -> dict[str, str]:
    """Each recipient's personal link to the release (a few queries per batch)."""
    if mailing.kind != MailingKind.RELEASE or mailing.release is None or not deliveries:
        return {}
    return release_access_grant(
        release=mailing.release,
        holders=[
            AccessHolder(email=d.email, name=d.name, journalist_id=d.journalist_id)
            for d in deliveries
        ],
    )


def _record_outcomes(batch: list[Delivery], *, at: dt.datetime) -> None:
    """Save a batch's outcomes in a few statements whatever its size: the sent rows in
    one UPDATE with a CASE for their message ids (Django's bulk_update builds one
    expression object per row and field, which costs more than sending the email).
    A row a provider event already moved on (matched by its metadata) keeps its state;
    one the watchdog put in doubt while this worker was slow is settled: it was sent."""
    sent = [delivery for delivery in batch if delivery.state == DeliveryState.SENT]
    skipped = [delivery.pk for delivery in batch if delivery.state == DeliveryState.SKIPPED]
    failed = [delivery for delivery in batch if delivery.state == DeliveryState.FAILED]
    if sent:
        table, pk = quoted_table(Delivery), quoted_column(Delivery, "id")
        cases = " ".join(["WHEN %s THEN %s"] * len(sent))
        marks = ", ".join(["%s"] * len(sent))
        params = [value for delivery in sent for value in (delivery.pk, delivery.message_id)]
        state, sent_at, message_id_column = (
            quoted_column(Delivery, name) for name in ("state", "sent_at", "message_id")
        )
        sql = (
            f"UPDATE {table} SET {state} = CASE WHEN {state} IN (%s, %s) THEN %s "  # noqa: S608
            f"ELSE {state} END, "
            f"{sent_at} = %s, {message_id_column} = CASE {pk} {cases} END "
            f"WHERE {pk} IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    DeliveryState.SENDING.value,
                    DeliveryState.IN_DOUBT.value,
                    DeliveryState.SENT.value,
                    connection.ops.adapt_datetimefield_value(at),
                    *params,
                    *[delivery.pk for delivery in sent],
                ],
            )
    if skipped:
        Delivery.objects.filter(pk__in=skipped).update(state=DeliveryState.SKIPPED)
    if failed:
        for delivery in failed:
            delivery.failed_at = at
        Delivery.objects.bulk_update(failed, ["state", "failed_at", "error"])
