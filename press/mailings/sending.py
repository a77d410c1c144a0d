"""Sending a mailing, at most once per recipient.

Sending is at most once per recipient. When sending starts the recipients are frozen
into Delivery rows (pending). A run claims a batch of pending rows and marks them
"sending" in its own committed transaction *before* handing them to the provider, then
records the outcome of the whole batch with one bulk update. A worker killed mid-batch
leaves those rows in "sending": a later run never hands them over again (they may or
may not have reached the provider); once they are older than STALE_AFTER they are
marked "interrupted" so the report says so (a provider event carrying the delivery's
id in its metadata later corrects one that did go out). Re-running the task, the
command or the admin's "resume" only sends to the rows still pending: nobody gets the
mailing twice.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from datetime import timedelta

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

BATCH_SIZE = 500
STALE_AFTER = timedelta(minutes=10)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
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
    "state",
    "message_id",
    "error",
)


def _deliveries_insert(*, mailing: Mailing, recipients: list[Recipient]) -> None:
    """One pending delivery per recipient, each with a fresh token. A plain executemany:
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
    *, mailing: Mailing, by: StaffMember = None, batch_size: int = BATCH_SIZE
) -> SendReport:
    """Send a mailing, or resume one being sent. A draft or a due scheduled mailing is
    frozen first (its deliveries created, state "sending"); then batches of pending
    deliveries go out over one connection each, suppressed journalists are skipped at
    send time, a recipient the provider refuses is marked "failed" without stopping the
    others. When no delivery is left pending, the mailing is "sent".
    Refuses a sent or cancelled mailing ("not_sendable") and a scheduled one that is
    not due ("not_due")."""
    now = timezone.now()
    mailing = _freeze(mailing=mailing, by=by, now=now)
    _interrupt_stale(mailing=mailing, now=now)
    report = SendReport()
    packs: dict[str, LanguagePack] = {}
    while Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING).exists():
        batch = _claim_batch(mailing=mailing, size=batch_size)
        if not batch:
            break
        _send_batch(mailing=mailing, batch=batch, packs=packs, report=report)
        report.batches += 1
    report.unfinished = not _finish(mailing=mailing)
    return report


def _interrupt_stale(*, mailing: Mailing, now: dt.datetime) -> None:
    mailing.deliveries.filter(state=DeliveryState.SENDING, sending_at__lt=now - STALE_AFTER).update(
        state=DeliveryState.INTERRUPTED,
        error=gettext("Sending was interrupted; not retried so that nobody gets it twice."),
    )


def _claim_batch(*, mailing: Mailing, size: int) -> list[Delivery]:
    """Mark up to `size` pending deliveries "sending" and commit before any is sent."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(mailing=mailing, state=DeliveryState.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        Delivery.objects.filter(pk__in=ids).update(
            state=DeliveryState.SENDING, sending_at=timezone.now()
        )
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


def _send_batch(
    *, mailing: Mailing, batch: list[Delivery], packs: dict[str, LanguagePack], report: SendReport
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
            delivery_id=delivery.pk,
            read_token=read_tokens.get(delivery.email.strip().lower()),
        )
        outgoing.append((delivery, message))
    mailer = mailers.default
    mailer.open()
    try:
        for delivery, message in outgoing:
            try:
                mailer.send_messages([message])
            except Exception as error:  # noqa: BLE001 - one refusal must not stop the rest
                logger.warning("Mailing %s: sending to delivery %s failed", mailing.pk, delivery.pk)
                delivery.state = DeliveryState.FAILED
                delivery.error = f"{type(error).__name__}: {error}"[:2000]
                report.failed += 1
            else:
                delivery.state = DeliveryState.SENT
                delivery.message_id = message_id(message) or ""
                report.sent += 1
    finally:
        mailer.close()
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
    A row a provider event already moved on (matched by its metadata) keeps its state."""
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
            f"UPDATE {table} SET {state} = CASE WHEN {state} = %s THEN %s ELSE {state} END, "  # noqa: S608
            f"{sent_at} = %s, {message_id_column} = CASE {pk} {cases} END "
            f"WHERE {pk} IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    DeliveryState.SENDING.value,
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
