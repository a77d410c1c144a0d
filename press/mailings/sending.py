"""A mailing's life: draft → scheduled → sending → sent, or cancelled.

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

import logging
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.models import email_digest
from press.emails import CompiledEmail, RenderedEmail, email_compile, email_message, message_id
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.recipients import mailing_languages, mailing_recipients, suppressed_digests
from press.mailings.text import html_to_text
from press.models import Delivery, Mailing
from press.models.mailings import delivery_token
from press.queue import enqueue_on_commit
from press.sanitise import sanitise_html
from press.translated import pick

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
STALE_AFTER = timedelta(minutes=10)
TOKEN_PLACEHOLDER = "--token--"
TEMPLATES = {
    MailingKind.RELEASE: "mailing_release",
    MailingKind.INVITATION: "mailing_invitation",
    MailingKind.ANNOUNCEMENT: "mailing_invitation",
}


class MailingError(Exception):
    """A refused move; `code` is stable for programs, `message` is for people."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    batches: int = 0


# Checks -----------------------------------------------------------------------------


def invitation_base_url() -> str | None:
    """Where an invitation's personal link points, in the active language; None while
    the accreditation form does not exist."""
    try:
        return settings.SITE_URL + reverse("accreditation:request") + "?invitation="
    except NoReverseMatch:
        return None


def mailing_check(*, mailing) -> list[str]:
    """The languages the mailing can go out in; refuses (MailingError) a mailing with
    nothing to send."""
    if mailing.kind == MailingKind.RELEASE and not mailing.release_id:
        raise MailingError("no_release", _("Choose the release this mailing sends."))
    languages = mailing_languages(mailing=mailing)
    if not languages:
        raise MailingError("no_language", _("The release has no language version yet."))
    if mailing.kind != MailingKind.RELEASE:
        if not any(mailing.subject.values()):
            raise MailingError("no_subject", _("Write a subject in at least one language."))
        if not any(mailing.message.values()):
            raise MailingError("no_message", _("Write the message in at least one language."))
    if mailing.kind == MailingKind.INVITATION and invitation_base_url() is None:
        raise MailingError(
            "no_accreditation_form",
            _("Invitations need the accreditation form, which is not available."),
        )
    return languages


def _locked(mailing) -> Mailing:
    return (
        Mailing.objects.select_for_update(of=("self",))
        .select_related("release", "event")
        .get(pk=mailing.pk)
    )


def _deferred(task, at):
    """The task to run at `at`; backends that cannot defer run it now, and the mailing
    refuses to go out early (code "not_due")."""
    if at and task.get_backend().supports_defer:
        return task.using(run_after=at)
    return task


# State changes ----------------------------------------------------------------------


def mailing_schedule(*, mailing, by, at=None) -> Mailing:
    """Send a draft now (at=None or in the past) or at `at`: draft → scheduled, then the
    send task is queued after commit. Refuses a mailing that is not a draft
    ("not_draft"), has nothing to send (see mailing_check) or nobody to send to
    ("no_recipients")."""
    from press.tasks import send_mailing_task

    with transaction.atomic():
        locked = _locked(mailing)
        if locked.state != MailingState.DRAFT:
            raise MailingError("not_draft", _("Only a draft mailing can be sent or scheduled."))
        mailing_check(mailing=locked)
        if mailing_recipients(mailing=locked).total == 0:
            raise MailingError("no_recipients", _("Nobody would receive this mailing."))
        now = timezone.now()
        locked.state = MailingState.SCHEDULED
        locked.scheduled_at = at if at and at > now else now
        locked.scheduled_by = by
        locked.save(update_fields=["state", "scheduled_at", "scheduled_by"])
        later = locked.scheduled_at if locked.scheduled_at > now else None
        enqueue_on_commit(_deferred(send_mailing_task, later), locked.pk)
    return locked


def mailing_cancel(*, mailing, by) -> Mailing:
    """Cancel a draft, a scheduled mailing or the rest of one being sent: deliveries
    not yet handed over become "cancelled". Refuses a mailing already sent or cancelled
    ("not_cancellable")."""
    with transaction.atomic():
        locked = _locked(mailing)
        if locked.state not in MailingState.cancellable():
            raise MailingError("not_cancellable", _("This mailing can no longer be cancelled."))
        locked.deliveries.filter(state=DeliveryState.PENDING).update(state=DeliveryState.CANCELLED)
        locked.state = MailingState.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = by
        locked.save(update_fields=["state", "cancelled_at", "cancelled_by"])
    return locked


def _freeze(*, mailing, by, now) -> Mailing:
    """Draft or due scheduled mailing → sending, its recipients frozen as deliveries."""
    with transaction.atomic():
        locked = _locked(mailing)
        if locked.state == MailingState.SENDING:
            return locked
        if locked.state not in (MailingState.DRAFT, MailingState.SCHEDULED):
            raise MailingError(
                "not_sendable", _("This mailing has already been sent or cancelled.")
            )
        if locked.state == MailingState.SCHEDULED and locked.scheduled_at > now:
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


def _deliveries_insert(*, mailing, recipients) -> None:
    """One pending delivery per recipient, each with a fresh token. A plain executemany:
    bulk_create prepares every field of every row and was a third of a 10,000-recipient
    mailing's time."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Delivery._meta.get_field(name).column) for name in INSERTED_FIELDS)
    marks = ", ".join(["%s"] * len(INSERTED_FIELDS))
    sql = f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
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


def mailing_send(*, mailing, by=None, batch_size: int = BATCH_SIZE) -> SendReport:
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
    _finish(mailing=mailing)
    return report


def _interrupt_stale(*, mailing, now) -> None:
    mailing.deliveries.filter(state=DeliveryState.SENDING, sending_at__lt=now - STALE_AFTER).update(
        state=DeliveryState.INTERRUPTED,
        error=gettext("Sending was interrupted; not retried so that nobody gets it twice."),
    )


def _claim_batch(*, mailing, size) -> list[Delivery]:
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


def _finish(*, mailing) -> None:
    from press.tasks import send_mailing_task

    unfinished = mailing.deliveries.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])
    if unfinished.exists():
        # Another worker holds a batch, or a killed one left rows: look again later.
        if Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING).exists():
            again = _deferred(send_mailing_task, timezone.now() + STALE_AFTER)
            if again is not send_mailing_task:
                enqueue_on_commit(again, mailing.pk)
        return
    Mailing.objects.filter(pk=mailing.pk, state=MailingState.SENDING).update(
        state=MailingState.SENT, finished_at=timezone.now()
    )


# Rendering --------------------------------------------------------------------------


@dataclass
class LanguagePack:
    """Everything a recipient's message needs in one language, computed once."""

    compiled: CompiledEmail
    greeting_named: str
    greeting_anonymous: str
    unsubscribe_url: str
    invitation_url: str


def sender_address(mailing) -> str:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((mailing.sender_name or name, mailing.sender_email or address))


def reply_address(mailing) -> str:
    if mailing.reply_to:
        return mailing.reply_to
    if mailing.event_id:
        return mailing.event.press_email
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def embargo_when(moment) -> str:
    """An embargo's end in the active language, with its time zone: journalists read
    it across Europe, in more than one zone."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def _release_context(mailing, language: str) -> dict:
    release = mailing.release
    version = release.version_in(language)
    try:
        release_url = settings.SITE_URL + version.get_absolute_url()
    except NoReverseMatch:
        release_url = ""
    body = sanitise_html(version.body)
    attachments = [
        {
            "title": pick(attachment.title, language) or attachment.file.name.rsplit("/", 1)[-1],
            "url": settings.SITE_URL + attachment.file.url,
        }
        for attachment in release.attachments.all()
    ]
    return {
        "release": release,
        "version": version,
        "release_url": release_url,
        "body_html": mark_safe(body),  # noqa: S308 - sanitised just above
        "body_text": html_to_text(body),
        "standfirst": version.standfirst,
        "embargo_until": release.embargo_until if release.is_embargoed() else None,
        "embargo_when": embargo_when(release.embargo_until) if release.is_embargoed() else "",
        "attachments": attachments,
        "press_contacts": [
            {"name": c.name, "role": c.role_in(language), "email": c.email, "phone": c.phone}
            for c in release.contacts.all()
        ],
        "boilerplate": release.boilerplate.text_in(language) if release.boilerplate else "",
    }


def mailing_subject(*, mailing, language: str) -> str:
    subject = mailing.subject_in(language)
    release = mailing.release if mailing.release_id else None
    if release and release.is_embargoed():
        when = embargo_when(release.embargo_until)
        return gettext("EMBARGO until %(when)s: %(subject)s") % {"when": when, "subject": subject}
    return subject


def mailing_context(*, mailing, language: str) -> dict:
    """The mailing-level context of its email in `language` (active when called)."""
    context = {
        "mailing": mailing,
        "subject": mailing_subject(mailing=mailing, language=language),
        "message": mailing.message.get(language) or pick(mailing.message, language),
        "embargo_until": None,
    }
    if mailing.event_id:
        context["event"] = mailing.event
    if mailing.kind == MailingKind.RELEASE:
        context.update(_release_context(mailing, language))
    return context


def language_pack(*, mailing, language: str) -> LanguagePack:
    """Compile the mailing's email in `language`: the one MJML compilation per language."""
    with translation.override(language):
        context = mailing_context(mailing=mailing, language=language)
        unsubscribe = settings.SITE_URL + reverse(
            "mailings:unsubscribe", kwargs={"token": TOKEN_PLACEHOLDER}
        )
        invitation = ""
        if mailing.kind == MailingKind.INVITATION:
            invitation = invitation_base_url() or ""
        greeting_named = gettext("Dear %(name)s,")
        greeting_anonymous = gettext("Hello,")
    compiled = email_compile(template=TEMPLATES[mailing.kind], language=language, context=context)
    return LanguagePack(
        compiled=compiled,
        greeting_named=greeting_named,
        greeting_anonymous=greeting_anonymous,
        unsubscribe_url=unsubscribe,
        invitation_url=invitation,
    )


def _personal_values(pack: LanguagePack, *, name: str, token: str) -> dict[str, str]:
    return {
        "greeting": pack.greeting_named % {"name": name} if name else pack.greeting_anonymous,
        "unsubscribe_url": pack.unsubscribe_url.replace(TOKEN_PLACEHOLDER, token),
        "invitation_url": pack.invitation_url + token if pack.invitation_url else "",
    }


def _message(
    mailing, pack: LanguagePack, *, to: str, name: str, token: str, subject=None, delivery_id=None
):
    values = _personal_values(pack, name=name, token=token)
    # The delivery id travels with the message and comes back in the provider's events
    # (anymail `metadata`): an event that arrives before the batch stored its message
    # ids still finds its delivery (see press.mailings.tracking.delivery_track).
    metadata = {"mailing": str(mailing.pk)}
    if delivery_id is not None:
        metadata["delivery"] = str(delivery_id)
    reply = reply_address(mailing)
    return email_message(
        subject=subject or pack.compiled.subject,
        html=pack.compiled.html.render(values),
        text=pack.compiled.text.render(values),
        to=to,
        from_email=sender_address(mailing),
        reply_to=[reply],
        headers={
            "List-Unsubscribe": (
                f"<{values['unsubscribe_url']}>, <mailto:{reply}?subject=unsubscribe%20{token}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tags=[f"mailing-{mailing.kind}"],
        metadata=metadata,
    )


def _send_batch(*, mailing, batch: list[Delivery], packs: dict, report: SendReport) -> None:
    listed = suppressed_digests([delivery.email for delivery in batch])
    outgoing = []
    for delivery in batch:
        journalist = delivery.journalist
        if journalist is None or journalist.is_suppressed or email_digest(delivery.email) in listed:
            delivery.state = DeliveryState.SKIPPED
            report.skipped += 1
            continue
        if delivery.language not in packs:
            packs[delivery.language] = language_pack(mailing=mailing, language=delivery.language)
        pack = packs[delivery.language]
        message = _message(
            mailing,
            pack,
            to=delivery.email,
            name=delivery.name,
            token=delivery.token,
            delivery_id=delivery.pk,
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


def _record_outcomes(batch: list[Delivery], *, at) -> None:
    """Save a batch's outcomes in a few statements whatever its size: the sent rows in
    one UPDATE with a CASE for their message ids (Django's bulk_update builds one
    expression object per row and field, which costs more than sending the email).
    A row a provider event already moved on (matched by its metadata) keeps its state."""
    sent = [delivery for delivery in batch if delivery.state == DeliveryState.SENT]
    skipped = [delivery.pk for delivery in batch if delivery.state == DeliveryState.SKIPPED]
    failed = [delivery for delivery in batch if delivery.state == DeliveryState.FAILED]
    if sent:
        quote = connection.ops.quote_name
        table, pk = quote(Delivery._meta.db_table), quote(Delivery._meta.pk.column)
        cases = " ".join(["WHEN %s THEN %s"] * len(sent))
        marks = ", ".join(["%s"] * len(sent))
        params = [value for delivery in sent for value in (delivery.pk, delivery.message_id)]
        state, sent_at, message_id_column = (
            quote(Delivery._meta.get_field(name).column)
            for name in ("state", "sent_at", "message_id")
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


# Previews and tests -----------------------------------------------------------------


def mailing_preview(*, mailing, language: str) -> RenderedEmail:
    """The email as a recipient in `language` would get it, with a sample greeting."""
    mailing_check(mailing=mailing)
    pack = language_pack(mailing=mailing, language=language)
    with translation.override(language):
        name = gettext("Alex Martin")
    values = _personal_values(pack, name=name, token="preview")
    return RenderedEmail(
        subject=pack.compiled.subject,
        html=pack.compiled.html.render(values),
        text=pack.compiled.text.render(values),
    )


def mailing_send_test(*, mailing, by) -> list[str]:
    """Send the mailing to `by` (a staff user) once in each of its languages, subject
    marked as a test; the unsubscribe link of a test leads nowhere. Refuses a user
    without an address ("no_email"). Returns the languages sent."""
    if not by.email:
        raise MailingError("no_email", _("Your account has no email address to send a test to."))
    languages = mailing_check(mailing=mailing)
    name = by.get_full_name()
    for language in languages:
        pack = language_pack(mailing=mailing, language=language)
        with translation.override(language):
            subject = gettext("[TEST] %(subject)s") % {"subject": pack.compiled.subject}
        message = _message(mailing, pack, to=by.email, name=name, token="test", subject=subject)
        mailers.default.send_messages([message])
    return languages
