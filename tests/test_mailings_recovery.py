"""A worker killed while sending: at most 50 recipients in doubt, the run resumed by the
watchdog with nobody's action, the doubt settled by the provider or, knowingly, by
sending again."""

import datetime as dt

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.core import mail
from django.utils import timezone, translation

from press.mailings.enums import DeliveryState, MailingState
from press.mailings.errors import MailingError
from press.mailings.lifecycle import mailing_resend_in_doubt, mailing_schedule
from press.mailings.models import Delivery
from press.mailings.report import mailing_progress, mailing_totals
from press.mailings.sending import (
    CLAIM_SIZE,
    _claim_batch,
    _record_outcomes,
    mailing_recover,
    mailing_send,
    sending_lease,
)
from press.mailings.tasks import send_mailing_task, watch_mailing_task
from tests.factories import ContactListFactory, JournalistFactory
from tests.factories.mailings import MailingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def queued(settings):
    """Tasks stored, not run: what a database queue holds for the next worker."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = send_mailing_task.get_backend()
    backend.clear()
    return backend


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the sending code may catch it."""


class DyingBackend(AnymailTestBackend):
    """anymail's test backend whose worker is killed after handing over 60 messages."""

    def send_messages(self, email_messages):
        if len(mail.outbox) == 60:
            raise WorkerKilled
        return super().send_messages(email_messages)


def mailing_to(count, event):
    contact_list = ContactListFactory()
    for _ in range(count):
        JournalistFactory(language="fr").lists.add(contact_list)
    return MailingFactory(lists=[contact_list], event=event)


def killed_part_way(settings, event, count=120):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mailings_recovery.DyingBackend"}}
    mailing = mailing_to(count, event)
    with pytest.raises(WorkerKilled):
        mailing_send(mailing=mailing)
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend"}}
    return mailing


def states(mailing):
    counts: dict[str, int] = {}
    for state in mailing.deliveries.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def test_a_killed_worker_leaves_at_most_one_claim_of_fifty_in_doubt(settings, event):
    mailing = killed_part_way(settings, event)

    assert CLAIM_SIZE == 50
    assert len(mail.outbox) == 60
    # The first claim of 50 was recorded; the second was being handed over.
    assert states(mailing) == {"sent": 50, "sending": 50, "pending": 20}


def test_mailing_send_caps_a_larger_batch_size_at_the_claim_size(event):
    mailing = mailing_to(60, event)

    report = mailing_send(mailing=mailing, batch_size=500)

    assert (report.sent, report.batches) == (60, 2)


def test_each_claim_renews_the_mailing_lease(event):
    mailing = mailing_to(1, event)
    mailing.state = MailingState.SENDING
    mailing.save()
    Delivery.objects.create(mailing=mailing, email="a@media.example", language="fr")
    before = timezone.now()

    (claimed,) = _claim_batch(mailing=mailing, size=CLAIM_SIZE)

    mailing.refresh_from_db()
    assert claimed.state == DeliveryState.SENDING
    assert mailing.lease_until >= before + sending_lease()


def test_nothing_is_claimed_once_the_mailing_is_cancelled(event):
    mailing = mailing_to(1, event)
    mailing.state = MailingState.CANCELLED
    mailing.save()
    Delivery.objects.create(mailing=mailing, email="a@media.example", language="fr")

    assert _claim_batch(mailing=mailing, size=CLAIM_SIZE) == []
    mailing.refresh_from_db()
    assert mailing.lease_until is None


def test_recover_waits_while_the_lease_runs(settings, event):
    mailing = killed_part_way(settings, event)
    mailing.refresh_from_db()

    recovery = mailing_recover(mailing=mailing, now=mailing.lease_until - dt.timedelta(seconds=1))

    assert (recovery.resume, recovery.in_doubt, recovery.next_check) == (
        False,
        0,
        mailing.lease_until,
    )
    assert states(mailing)["sending"] == 50


def test_recover_after_the_lease_puts_the_lost_claim_in_doubt_and_resumes(settings, event):
    mailing = killed_part_way(settings, event)
    mailing.refresh_from_db()
    later = mailing.lease_until + dt.timedelta(seconds=1)

    recovery = mailing_recover(mailing=mailing, now=later)

    assert (recovery.resume, recovery.in_doubt) == (True, 50)
    assert recovery.next_check == later + sending_lease()
    assert states(mailing) == {"sent": 50, "in_doubt": 50, "pending": 20}
    in_doubt = mailing.deliveries.filter(state=DeliveryState.IN_DOUBT).first()
    assert in_doubt.error.startswith("The worker stopped while handing this message")


def test_the_resumed_run_sends_to_those_waiting_and_never_to_those_in_doubt(settings, event):
    mailing = killed_part_way(settings, event)
    mailing.refresh_from_db()
    mailing_recover(mailing=mailing, now=mailing.lease_until + dt.timedelta(seconds=1))

    report = mailing_send(mailing=mailing)

    assert report.sent == 20
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 80
    in_doubt = set(
        mailing.deliveries.filter(state=DeliveryState.IN_DOUBT).values_list("email", flat=True)
    )
    assert len(in_doubt) == 50
    # Ten of those in doubt did get it before the kill, forty did not: neither is retried.
    assert len(in_doubt & set(addresses)) == 10
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT


def test_recover_marks_sent_a_mailing_whose_last_claim_died(settings, event):
    mailing = killed_part_way(settings, event, count=100)
    mailing.refresh_from_db()

    recovery = mailing_recover(mailing=mailing, now=mailing.lease_until + dt.timedelta(seconds=1))

    assert (recovery.resume, recovery.in_doubt, recovery.next_check) == (False, 50, None)
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT


def test_recover_resumes_a_due_scheduled_mailing_whose_run_never_started(event):
    mailing = mailing_to(2, event)
    at = timezone.now() - dt.timedelta(hours=1)
    mailing.state, mailing.scheduled_at = MailingState.SCHEDULED, at
    mailing.save()

    early = mailing_recover(mailing=mailing, now=at + sending_lease() - dt.timedelta(seconds=1))
    late = mailing_recover(mailing=mailing, now=at + sending_lease() + dt.timedelta(seconds=1))

    assert (early.resume, early.next_check) == (False, at + sending_lease())
    assert late.resume is True


@pytest.mark.parametrize("state", [MailingState.SENT, MailingState.CANCELLED, MailingState.DRAFT])
def test_recover_leaves_a_mailing_that_is_not_being_sent(event, state):
    mailing = mailing_to(1, event)
    mailing.state = state
    mailing.save()

    recovery = mailing_recover(mailing=mailing)

    assert (recovery.resume, recovery.next_check) == (False, None)


def test_watch_task_queues_the_send_again_and_looks_again_later(settings, event, queued):
    mailing = killed_part_way(settings, event)
    mailing.lease_until = timezone.now() - dt.timedelta(seconds=1)
    mailing.save(update_fields=["lease_until"])
    Delivery.objects.filter(mailing=mailing, state=DeliveryState.SENDING).update(
        sending_at=timezone.now() - sending_lease() - dt.timedelta(seconds=2)
    )
    before = timezone.now()

    watch_mailing_task.call(mailing.pk)

    queued_tasks = [(result.task.name, result.args) for result in queued.results]
    assert queued_tasks == [
        ("send_mailing_task", [mailing.pk]),
        ("watch_mailing_task", [mailing.pk]),
    ]
    assert queued.results[1].task.run_after >= before + sending_lease()


def test_watch_task_stops_once_the_mailing_is_sent(event, queued):
    mailing = mailing_to(1, event)
    mailing.state = MailingState.SENT
    mailing.save()

    watch_mailing_task.call(mailing.pk)

    assert queued.results == []


def test_mailing_schedule_queues_the_watchdog_one_lease_after_the_sending_time(
    event, queued, django_capture_on_commit_callbacks
):
    mailing = mailing_to(1, event)
    at = timezone.now() + dt.timedelta(hours=2)

    with django_capture_on_commit_callbacks(execute=True):
        mailing_schedule(mailing=mailing, by=None, at=at)

    watchdog = [result for result in queued.results if result.task.name == "watch_mailing_task"]
    assert [(result.args, result.task.run_after) for result in watchdog] == [
        ([mailing.pk], at + sending_lease())
    ]


def test_mailing_lease_follows_the_setting(settings):
    settings.MAILINGS_LEASE_SECONDS = 7

    assert sending_lease() == dt.timedelta(seconds=7)


def test_an_outcome_recorded_after_the_doubt_settles_it_as_sent(event):
    mailing = mailing_to(1, event)
    mailing.state = MailingState.SENDING
    mailing.save()
    Delivery.objects.create(mailing=mailing, email="a@media.example", language="fr")
    (delivery,) = _claim_batch(mailing=mailing, size=CLAIM_SIZE)
    # The worker was slow; the watchdog put its row in doubt meanwhile.
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.IN_DOUBT)
    delivery.state, delivery.message_id = DeliveryState.SENT, "provider-1"

    _record_outcomes([delivery], at=timezone.now())

    delivery.refresh_from_db()
    assert (delivery.state, delivery.message_id) == (DeliveryState.SENT, "provider-1")


def test_report_counts_in_doubt_apart_from_failed(settings, event):
    mailing = killed_part_way(settings, event)
    mailing.refresh_from_db()
    mailing_recover(mailing=mailing, now=mailing.lease_until + dt.timedelta(seconds=1))
    Delivery.objects.filter(mailing=mailing, state=DeliveryState.PENDING).update(
        state=DeliveryState.FAILED
    )

    totals = mailing_totals(mailing=mailing)

    assert (totals["overall"]["counts"]["failed"], totals["overall"]["counts"]["in_doubt"]) == (
        20,
        50,
    )
    assert ("in_doubt", "In doubt") in [(name, str(label)) for name, label in totals["columns"]]
    assert mailing_progress(mailing=mailing)["in_doubt"] == 50


def test_resend_in_doubt_sends_again_to_those_in_doubt_only(
    settings, event, officer, django_capture_on_commit_callbacks
):
    mailing = killed_part_way(settings, event)
    mailing.refresh_from_db()
    mailing_recover(mailing=mailing, now=mailing.lease_until + dt.timedelta(seconds=1))
    mailing_send(mailing=mailing)
    in_doubt = set(
        mailing.deliveries.filter(state=DeliveryState.IN_DOUBT).values_list("email", flat=True)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        count = mailing_resend_in_doubt(mailing=mailing, by=officer)

    assert count == 50
    assert {message.to[0] for message in mail.outbox} == in_doubt
    assert len(mail.outbox) == 50
    mailing.refresh_from_db()
    assert (mailing.state, mailing.doubt_resent_by) == (MailingState.SENT, officer)
    assert mailing.doubt_resent_at is not None
    assert states(mailing) == {"sent": 120}


def test_resend_in_doubt_refuses_a_mailing_with_nobody_in_doubt(event, officer):
    mailing = mailing_to(2, event)
    mailing_send(mailing=mailing)
    mail.outbox.clear()

    with pytest.raises(MailingError) as refused:
        mailing_resend_in_doubt(mailing=mailing, by=officer)

    assert refused.value.code == "none_in_doubt"
    assert mail.outbox == []
    mailing.refresh_from_db()
    assert (mailing.state, mailing.doubt_resent_at) == (MailingState.SENT, None)


@pytest.mark.parametrize("state", [MailingState.DRAFT, MailingState.CANCELLED])
def test_resend_in_doubt_refuses_a_mailing_not_sent(event, officer, state):
    mailing = mailing_to(1, event)
    mailing.state = state
    mailing.save()

    with pytest.raises(MailingError) as refused:
        mailing_resend_in_doubt(mailing=mailing, by=officer)

    assert refused.value.code == "not_sent"


def test_resend_page_warns_before_sending_twice(
    settings, event, officer_client, django_capture_on_commit_callbacks
):
    mailing = killed_part_way(settings, event)
    mailing.refresh_from_db()
    mailing_recover(mailing=mailing, now=mailing.lease_until + dt.timedelta(seconds=1))
    mailing_send(mailing=mailing)
    mail.outbox.clear()
    url = f"/admin/mailings/mailing/{mailing.pk}/resend-in-doubt/"

    page = officer_client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    text = page.content.decode()
    assert "50 recipients are in doubt" in text
    assert "they will receive it twice" in text
    assert mail.outbox == []
    assert states(mailing)["in_doubt"] == 50
    change = officer_client.get(f"/admin/mailings/mailing/{mailing.pk}/change/")
    assert url in change.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url)

    assert response.status_code == 302
    assert len(mail.outbox) == 50
    assert "in_doubt" not in states(mailing)


def test_resend_page_is_not_offered_without_anyone_in_doubt(event, officer_client):
    mailing = mailing_to(1, event)
    mailing_send(mailing=mailing)

    change = officer_client.get(f"/admin/mailings/mailing/{mailing.pk}/change/")

    assert "resend-in-doubt" not in change.content.decode()
