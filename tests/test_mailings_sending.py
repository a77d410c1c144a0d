import datetime as dt
import io

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_suppress
from contacts.models import Suppression, email_digest
from press.core.emails import mjml_compilations
from press.mailings.enums import DeliveryState, MailingState
from press.mailings.errors import MailingError
from press.mailings.lifecycle import mailing_cancel, mailing_schedule
from press.mailings.models import Delivery
from press.mailings.recipients import mailing_recipients
from press.mailings.rendering import mailing_send_test
from press.mailings.sending import _freeze, mailing_send, sending_lease
from tests.factories import (
    ContactListFactory,
    JournalistFactory,
    ReleaseFactory,
    ReleaseVersionFactory,
)
from tests.factories.mailings import InvitationMailingFactory, MailingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Labels and refusals are asserted in English; emails pick their own language."""
    with translation.override("en"):
        yield


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the sending code may catch it."""


class RefusingBackend(AnymailTestBackend):
    """anymail's test backend, refusing one address."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.to == ["refused@media.example"]:
                message.anymail_test_response = AnymailAPIError("Invalid 'To' address")
        return super().send_messages(email_messages)


class DyingBackend(AnymailTestBackend):
    """anymail's test backend whose worker is killed after handing over 3 messages."""

    def send_messages(self, email_messages):
        if len(mail.outbox) == 3:
            raise WorkerKilled
        return super().send_messages(email_messages)


def audience(*languages, **kwargs):
    contact_list = ContactListFactory()
    journalists = [JournalistFactory(language=language, **kwargs) for language in languages]
    for journalist in journalists:
        journalist.lists.add(contact_list)
    return contact_list, journalists


def french_only_release():
    release = ReleaseFactory()
    ReleaseVersionFactory(release=release, language="fr", title="Seulement en français")
    return release


def test_mailing_send_gives_each_journalist_their_language(event):
    contact_list, (french, english) = audience("fr", "en")
    mailing = MailingFactory(lists=[contact_list], event=event)

    report = mailing_send(mailing=mailing)

    assert (report.sent, report.failed, report.skipped) == (2, 0, 0)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[french.email].subject == "Les villes s'engagent"
    assert by_address[english.email].subject == "Cities commit"
    assert "Dear " in by_address[english.email].body
    assert "English standfirst." in by_address[english.email].body
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    assert mailing.recipient_count == 2
    assert list(mailing.deliveries.order_by("pk").values_list("language", "state")) == [
        ("fr", "sent"),
        ("en", "sent"),
    ]


def test_mailing_send_falls_back_to_the_release_language(event):
    contact_list, (english,) = audience("en")
    mailing = MailingFactory(lists=[contact_list], release=french_only_release(), event=event)

    mailing_send(mailing=mailing)

    (message,) = mail.outbox
    assert message.subject == "Seulement en français"
    assert "/fr/" in message.extra_headers["List-Unsubscribe"]
    assert mailing.deliveries.get().language == "fr"


def test_mailing_send_compiles_mjml_once_per_language(event):
    contact_list, _journalists = audience("fr", "en", "fr", "en", "fr")
    mailing = MailingFactory(lists=[contact_list], event=event)
    before = mjml_compilations()

    mailing_send(mailing=mailing, batch_size=2)

    assert mjml_compilations() - before == 2
    assert len(mail.outbox) == 5


def test_mailing_send_sets_one_click_unsubscribe_headers(event):
    contact_list, (journalist,) = audience("fr")
    mailing = MailingFactory(lists=[contact_list], event=event, reply_to="presse@event.example")

    mailing_send(mailing=mailing)

    delivery = mailing.deliveries.get()
    url = f"http://127.0.0.1:8000/fr/mailings/unsubscribe/{delivery.unsubscribe_token}/"
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{url}>, <mailto:presse@event.example?subject=unsubscribe%20{delivery.unsubscribe_token}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.reply_to == ["presse@event.example"]
    assert message.from_email == "Press office <press@event.example>"
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0].content
    assert delivery.message_id == "0"
    assert len(delivery.token) == 32
    assert len(delivery.unsubscribe_token) == 32
    assert delivery.unsubscribe_token != delivery.token
    assert delivery.token not in message.body


def test_mailing_send_keeps_the_unsubscribe_header_a_plain_url_over_smtp(event):
    contact_list, (journalist,) = audience("fr")
    mailing = MailingFactory(lists=[contact_list], event=event, reply_to="presse@event.example")

    mailing_send(mailing=mailing)

    token = mailing.deliveries.get().unsubscribe_token
    (message,) = mail.outbox
    raw = message.message().as_bytes().decode()
    assert (
        f"List-Unsubscribe: <http://127.0.0.1:8000/fr/mailings/unsubscribe/{token}/>, "
        f"<mailto:presse@event.example?subject=unsubscribe%20{token}>\n"
    ) in raw
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in raw
    assert "=?utf-8?" not in raw.split("\n\n", 1)[0]


def test_mailing_send_writes_a_real_text_part(event):
    contact_list, (journalist,) = audience("en", first_name="Ada", last_name="Lovelace")
    mailing = MailingFactory(lists=[contact_list], event=event, message={"en": "A note & more"})

    mailing_send(mailing=mailing)

    (message,) = mail.outbox
    body = message.body
    assert body.startswith("Dear Ada Lovelace,\n\nA note & more\n\nCities commit\n")
    assert "English text (https://example.org/report)." in body
    assert "<p>" not in body
    assert "Read it in the newsroom: http://127.0.0.1:8000/en/releases/" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "A note &amp; more" in html
    assert "Dear Ada Lovelace," in html
    assert "fonts.googleapis.com" not in html


def test_mailing_send_escapes_names_in_html(event):
    contact_list, _journalists = audience("en", first_name="<b>Eve</b>", last_name="&co")
    mailing = MailingFactory(lists=[contact_list], event=event)

    mailing_send(mailing=mailing)

    html = mail.outbox[0].alternatives[0].content
    assert "Dear &lt;b&gt;Eve&lt;/b&gt; &amp;co," in html
    assert "<b>Eve</b>" not in html


def test_mailing_send_shows_the_embargo_first(event):
    release = ReleaseFactory(embargo_until=dt.datetime(2099, 1, 15, 9, 0, tzinfo=dt.UTC))
    ReleaseVersionFactory(release=release, language="en", title="Embargoed news")
    contact_list, _journalists = audience("en")
    mailing = MailingFactory(lists=[contact_list], release=release, event=event)

    mailing_send(mailing=mailing)

    (message,) = mail.outbox
    assert message.subject == "EMBARGO until 15 January 2099 at 10:00 CET: Embargoed news"
    assert message.body.startswith(
        "EMBARGO: not to be published before 15 January 2099 at 10:00 CET\n\n"
    )
    html = message.alternatives[0].content
    assert "EMBARGO: not to be published before 15 January 2099 at 10:00 CET" in html
    assert html.index("EMBARGO:") < html.index("Embargoed news</div>")


def test_mailing_recipients_counts_languages_and_exclusions(event):
    contact_list, journalists = audience("fr", "fr", "en", "en", "en")
    journalist_suppress(journalist=journalists[0], reason=SuppressionReason.BOUNCED)
    journalist_suppress(journalist=journalists[2], reason=SuppressionReason.UNSUBSCRIBED)
    Suppression.objects.create(
        email_hash=email_digest(journalists[3].email), reason=SuppressionReason.ERASED
    )
    mailing = MailingFactory(lists=[contact_list], event=event)

    summary = mailing_recipients(mailing=mailing)

    assert summary.total == 2
    assert dict(summary.by_language) == {"fr": 1, "en": 1}
    assert dict(summary.excluded) == {"bounced": 1, "unsubscribed": 1, "suppression_list": 1}
    assert sorted(summary.excluded_labelled()) == [
        ("Address bounced", 1),
        ("Address on the suppression list", 1),
        ("Unsubscribed", 1),
    ]


def test_mailing_recipients_applies_filters_and_adds_picked_journalists(event):
    contact_list, (belgian, french) = audience("fr", "fr")
    french.country = "FR"
    french.save()
    outsider = JournalistFactory(country="FR")
    mailing = MailingFactory(lists=[contact_list], journalists=[outsider], event=event)
    mailing.countries = ["BE"]
    mailing.outlet_kinds = ["newspaper"]
    mailing.save()

    summary = mailing_recipients(mailing=mailing)

    assert sorted(r.journalist_id for r in summary.recipients) == sorted([belgian.pk, outsider.pk])


def test_mailing_send_skips_journalists_suppressed_after_selection(event):
    contact_list, (kept, gone, erased) = audience("fr", "fr", "fr")
    mailing = MailingFactory(lists=[contact_list], event=event)
    # Frozen as three pending deliveries, then two of them become unmailable.
    _freeze(mailing=mailing, by=None, now=timezone.now())
    journalist_suppress(journalist=gone, reason=SuppressionReason.COMPLAINED)
    Suppression.objects.create(email_hash=email_digest(erased.email), reason="erased")

    report = mailing_send(mailing=mailing)

    assert [message.to for message in mail.outbox] == [[kept.email]]
    assert (report.sent, report.skipped) == (1, 2)
    assert sorted(mailing.deliveries.values_list("state", flat=True)) == [
        "sent",
        "skipped",
        "skipped",
    ]


def test_mailing_send_records_a_refused_recipient_and_goes_on(event, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mailings_sending.RefusingBackend"}}
    contact_list, _journalists = audience("fr")
    refused = JournalistFactory(email="refused@media.example")
    refused.lists.add(contact_list)
    last = JournalistFactory()
    last.lists.add(contact_list)
    mailing = MailingFactory(lists=[contact_list], event=event)

    report = mailing_send(mailing=mailing)

    assert (report.sent, report.failed) == (2, 1)
    failed = mailing.deliveries.get(email="refused@media.example")
    assert failed.state == DeliveryState.FAILED
    assert failed.error.startswith("AnymailAPIError: Invalid 'To' address")
    assert failed.failed_at is not None
    assert mailing.deliveries.get(journalist=last).state == DeliveryState.SENT
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT


def test_mailing_send_resumes_after_a_killed_worker_without_sending_twice(event, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mailings_sending.DyingBackend"}}
    contact_list, journalists = audience(*["fr"] * 7)
    mailing = MailingFactory(lists=[contact_list], event=event)

    with pytest.raises(WorkerKilled):
        mailing_send(mailing=mailing, batch_size=5)
    handed_over = [message.to[0] for message in mail.outbox]
    assert len(handed_over) == 3
    assert mailing.deliveries.filter(state=DeliveryState.SENDING).count() == 5
    assert mailing.deliveries.filter(state=DeliveryState.PENDING).count() == 2

    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend"}}
    report = mailing_send(mailing=mailing, batch_size=5)

    assert report.sent == 2
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 5
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENDING  # five rows still in doubt

    Delivery.objects.filter(mailing=mailing, state=DeliveryState.SENDING).update(
        sending_at=timezone.now() - sending_lease() - dt.timedelta(seconds=1)
    )
    report = mailing_send(mailing=mailing)

    assert report.sent == 0
    assert len(mail.outbox) == 5
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    states = sorted(mailing.deliveries.values_list("state", flat=True))
    assert states == ["in_doubt"] * 5 + ["sent"] * 2


def test_mailing_send_queries_grow_with_batches_not_recipients(event):
    def queries_for(count):
        contact_list, _journalists = audience(*["fr", "en"] * count)
        mailing = MailingFactory(lists=[contact_list], event=event)
        with CaptureQueriesContext(connection) as captured:
            mailing_send(mailing=mailing)
        return len(captured)

    # 4 and 50 recipients: one claim of at most 50 each.
    assert queries_for(2) == queries_for(25)


def test_mailing_schedule_queues_the_send_for_later(
    event, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from press.mailings.tasks import send_mailing_task

    send_mailing_task.get_backend().clear()
    contact_list, _journalists = audience("fr")
    mailing = MailingFactory(lists=[contact_list], event=event)
    at = timezone.now() + dt.timedelta(hours=3)

    with django_capture_on_commit_callbacks(execute=True):
        mailing_schedule(mailing=mailing, by=None, at=at)

    results = send_mailing_task.get_backend().results
    (result,) = [result for result in results if result.task.name == "send_mailing_task"]
    assert result.task.run_after == at
    assert result.args == [mailing.pk]
    mailing.refresh_from_db()
    assert (mailing.state, mailing.scheduled_at) == (MailingState.SCHEDULED, at)
    with pytest.raises(MailingError) as early:
        mailing_send(mailing=mailing)
    assert early.value.code == "not_due"
    assert mail.outbox == []
    assert mailing.deliveries.count() == 0


def test_mailing_schedule_now_sends_after_commit(
    event, officer, django_capture_on_commit_callbacks
):
    contact_list, _journalists = audience("fr", "en")
    mailing = MailingFactory(lists=[contact_list], event=event)

    with django_capture_on_commit_callbacks(execute=True):
        mailing_schedule(mailing=mailing, by=officer)
        assert mail.outbox == []

    assert len(mail.outbox) == 2
    mailing.refresh_from_db()
    assert (mailing.state, mailing.scheduled_by) == (MailingState.SENT, officer)


@pytest.mark.parametrize(
    ("state", "code"),
    [(MailingState.SENT, "not_draft"), (MailingState.CANCELLED, "not_draft")],
)
def test_mailing_schedule_refuses_a_mailing_already_gone(event, state, code):
    contact_list, _journalists = audience("fr")
    mailing = MailingFactory(lists=[contact_list], event=event, state=state)

    with pytest.raises(MailingError) as refused:
        mailing_schedule(mailing=mailing, by=None)

    assert refused.value.code == code
    mailing.refresh_from_db()
    assert mailing.state == state


def test_mailing_schedule_refuses_a_mailing_with_nobody_to_receive_it(event):
    contact_list, (journalist,) = audience("fr")
    journalist_suppress(journalist=journalist, reason=SuppressionReason.UNSUBSCRIBED)
    mailing = MailingFactory(lists=[contact_list], event=event)

    with pytest.raises(MailingError) as refused:
        mailing_schedule(mailing=mailing, by=None)

    assert refused.value.code == "no_recipients"
    assert str(refused.value) == "Nobody would receive this mailing."
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT


def test_mailing_schedule_refuses_a_release_mailing_without_release(event):
    contact_list, _journalists = audience("fr")
    mailing = MailingFactory(lists=[contact_list], event=event, release=None)

    with pytest.raises(MailingError) as refused:
        mailing_schedule(mailing=mailing, by=None)

    assert refused.value.code == "no_release"


def test_mailing_cancel_stops_the_rest_of_a_mailing(event, officer):
    contact_list, _journalists = audience("fr", "fr", "fr")
    mailing = MailingFactory(lists=[contact_list], event=event)
    _freeze(mailing=mailing, by=None, now=timezone.now())

    mailing_cancel(mailing=mailing, by=officer)

    mailing.refresh_from_db()
    assert (mailing.state, mailing.cancelled_by) == (MailingState.CANCELLED, officer)
    assert set(mailing.deliveries.values_list("state", flat=True)) == {"cancelled"}
    with pytest.raises(MailingError) as refused:
        mailing_send(mailing=mailing)
    assert refused.value.code == "not_sendable"
    assert mail.outbox == []


def test_mailing_cancel_refuses_a_sent_mailing(event, officer):
    mailing = MailingFactory(event=event, state=MailingState.SENT)

    with pytest.raises(MailingError) as refused:
        mailing_cancel(mailing=mailing, by=officer)

    assert refused.value.code == "not_cancellable"


def test_invitation_carries_a_personal_accreditation_link(event):
    contact_list, (french, english) = audience("fr", "en")
    mailing = InvitationMailingFactory(lists=[contact_list], event=event)

    mailing_send(mailing=mailing)

    for journalist, prefix in ((french, "/fr/"), (english, "/en/")):
        delivery = mailing.deliveries.get(journalist=journalist)
        message = next(m for m in mail.outbox if m.to == [journalist.email])
        link = f"http://127.0.0.1:8000{prefix}accreditation/?invitation={delivery.token}"
        assert link in message.body
        assert f'href="{link}"' in message.alternatives[0].content
        assert f"/unsubscribe/{delivery.unsubscribe_token}/" in message.body
        assert f"/unsubscribe/{delivery.token}/" not in message.body
    assert {m.subject for m in mail.outbox} == {"Invitation presse", "Press invitation"}


def test_mailing_send_test_goes_to_the_officer_in_each_language(event, officer):
    mailing = MailingFactory(event=event)

    languages = mailing_send_test(mailing=mailing, by=officer)

    assert languages == ["fr", "en"]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([officer.email], "[TEST] Les villes s'engagent"),
        ([officer.email], "[TEST] Cities commit"),
    ]
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT
    assert mailing.deliveries.count() == 0


def test_mailing_send_test_refuses_a_user_without_address(event, staff_user):
    user = staff_user("Press officer", email="")
    mailing = MailingFactory(event=event)

    with pytest.raises(MailingError) as refused:
        mailing_send_test(mailing=mailing, by=user)

    assert refused.value.code == "no_email"
    assert mail.outbox == []


def test_send_mailing_command_sends_and_reports(event):
    contact_list, _journalists = audience("fr", "en")
    mailing = MailingFactory(lists=[contact_list], event=event)
    out = io.StringIO()

    call_command("send_mailing", str(mailing.pk), stdout=out)

    assert out.getvalue().strip() == (
        f"Mailing {mailing.pk} (Sent): sent 2, failed 0, skipped 0, in 1 batches."
    )
    assert len(mail.outbox) == 2


def test_send_mailing_command_refuses_a_cancelled_mailing(event):
    mailing = MailingFactory(event=event, state=MailingState.CANCELLED)

    with pytest.raises(CommandError) as refused:
        call_command("send_mailing", str(mailing.pk))

    assert str(refused.value) == ("This mailing has already been sent or cancelled. (not_sendable)")


def test_send_mailing_command_refuses_an_unknown_id(db):
    with pytest.raises(CommandError) as refused:
        call_command("send_mailing", "999")

    assert str(refused.value) == "No mailing with id 999."


def test_mailing_send_writes_the_interface_text_in_the_recipient_language(event):
    contact_list, (journalist,) = audience("fr")
    journalist.first_name, journalist.last_name = "Léa", "Dubois"
    journalist.save()
    mailing = MailingFactory(lists=[contact_list], event=event)

    mailing_send(mailing=mailing)

    body = mail.outbox[0].body
    assert body.startswith("Bonjour Léa Dubois,\n")
    assert "Le lire sur la salle de presse\u202f: http://127.0.0.1:8000/fr/" in body
    unsubscribe = "Vos choix ou désabonnement\u202f: http://127.0.0.1:8000/fr/mailings/unsubscribe/"
    assert unsubscribe in body
