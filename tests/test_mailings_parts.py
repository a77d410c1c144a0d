"""A mailing cut into batch tasks that workers share, each handing its messages to the
provider through a bounded pool of connections."""

import threading

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.core import mail
from django.utils import translation

from press.mailings.enums import DeliveryState, MailingState
from press.mailings.sending import mailing_send, mailing_split
from press.mailings.tasks import send_mailing_part_task, send_mailing_task
from tests.factories import ContactListFactory, JournalistFactory
from tests.factories.mailings import MailingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def mailing_to(count, event):
    contact_list = ContactListFactory()
    for _ in range(count):
        JournalistFactory(language="fr").lists.add(contact_list)
    return MailingFactory(lists=[contact_list], event=event)


class ThreadRecordingBackend(AnymailTestBackend):
    """anymail's test backend noting which thread made each connection."""

    opened: list[int] = []
    lock = threading.Lock()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with self.lock:
            ThreadRecordingBackend.opened.append(threading.get_ident())


def test_mailing_split_cuts_the_pending_deliveries_into_parts(event):
    mailing = mailing_to(7, event)

    parts = mailing_split(mailing=mailing, part_size=3)

    ids = list(mailing.deliveries.order_by("pk").values_list("pk", flat=True))
    assert parts == [(ids[0], ids[2]), (ids[3], ids[5]), (ids[6], ids[6])]
    mailing.refresh_from_db()
    assert (mailing.state, mailing.recipient_count) == (MailingState.SENDING, 7)


def test_a_part_sends_only_its_own_deliveries(event):
    mailing = mailing_to(5, event)
    (first, _), (second, last) = mailing_split(mailing=mailing, part_size=3)

    report = mailing_send(mailing=mailing, first_id=second, last_id=last)

    assert report.sent == 2
    sent = set(mailing.deliveries.filter(state="sent").values_list("pk", flat=True))
    assert sent == {second, last}
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENDING  # the first part is still waiting


def test_a_part_taken_twice_sends_nobody_twice(event):
    mailing = mailing_to(6, event)
    (first, last), (other_first, other_last) = mailing_split(mailing=mailing, part_size=3)

    send_mailing_part_task.call(mailing.pk, first, last)
    again = send_mailing_part_task.call(mailing.pk, first, last)

    assert again == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 3
    send_mailing_part_task.call(mailing.pk, other_first, other_last)
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 6
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    late = send_mailing_part_task.call(mailing.pk, first, last)
    assert late == {"skipped": "not_sendable"}
    assert len(mail.outbox) == 6


def test_send_task_queues_one_batch_task_per_part(event, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = send_mailing_task.get_backend()
    backend.clear()
    mailing = mailing_to(3, event)

    assert send_mailing_task.call(mailing.pk) == {"parts": 1}

    ids = list(mailing.deliveries.order_by("pk").values_list("pk", flat=True))
    assert [(result.task.name, result.args) for result in backend.results] == [
        ("send_mailing_part_task", [mailing.pk, ids[0], ids[-1]])
    ]
    assert mail.outbox == []


def test_messages_leave_through_a_bounded_pool_of_connections(event, settings):
    settings.MAILINGS_SEND_CONCURRENCY = 4
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mailings_parts.ThreadRecordingBackend"}}
    ThreadRecordingBackend.opened = []
    mailing = mailing_to(60, event)

    report = mailing_send(mailing=mailing)

    assert (report.sent, report.batches) == (60, 2)
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 60
    # One connection per sending thread for the whole run, never more threads than 4.
    assert len(ThreadRecordingBackend.opened) == len(set(ThreadRecordingBackend.opened))
    assert 1 < len(ThreadRecordingBackend.opened) <= 4
    assert threading.get_ident() not in ThreadRecordingBackend.opened
    assert set(mailing.deliveries.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_without_concurrency_one_connection_in_the_worker_thread(event, settings):
    settings.MAILINGS_SEND_CONCURRENCY = 1
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mailings_parts.ThreadRecordingBackend"}}
    ThreadRecordingBackend.opened = []
    mailing = mailing_to(60, event)

    mailing_send(mailing=mailing)

    assert ThreadRecordingBackend.opened == [threading.get_ident()]
