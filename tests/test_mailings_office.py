"""The mailing pages of the back office: the live recipient count, the event taken from
the release, the preview's header, the report's rates and explained errors, and query
counts that do not grow with the recipients."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from contacts.enums import SuppressionReason
from contacts.models import Suppression, email_digest
from press import permissions
from press.mailings.bounces import error_explained
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.models import Mailing
from press.mailings.recipients import (
    NO_LANGUAGE,
    mailing_recipient_counts,
    mailing_recipients,
)
from tests.factories import (
    ContactListFactory,
    EventFactory,
    JournalistFactory,
    ReleaseFactory,
    ReleaseVersionFactory,
)
from tests.factories.mailings import DeliveryFactory, MailingFactory, bilingual_release

pytestmark = pytest.mark.django_db

COUNT_URL = "/admin/mailings/mailing/recipients/"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def change_url(mailing, suffix="change/"):
    return f"/admin/mailings/mailing/{mailing.pk}/{suffix}"


def mixed_list():
    """Two French, one English, and one of each reason to be left out."""
    contact_list = ContactListFactory()
    now = timezone.now()
    people = [
        JournalistFactory(language="fr"),
        JournalistFactory(language="fr", outlet__kind="radio"),
        JournalistFactory(language="en"),
        JournalistFactory(language="en", suppressed_at=now, suppression_reason=""),
        JournalistFactory(
            language="fr", suppressed_at=now, suppression_reason=SuppressionReason.BOUNCED
        ),
        JournalistFactory(language="fr", erased_at=now),
        JournalistFactory(language="fr", email="listed@media.example"),
    ]
    Suppression.objects.create(
        email_hash=email_digest("Listed@Media.example"), reason=SuppressionReason.ERASED
    )
    for journalist in people:
        journalist.lists.add(contact_list)
    return contact_list


def form_data(release, contact_list=None, **extra):
    data = {
        "kind": "release",
        "release": release.pk if release else "",
        "subject_0": "",
        "subject_1": "",
        "message_0": "",
        "message_1": "",
        "sender_name": "",
        "sender_email": "",
        "reply_to": "",
    }
    if contact_list is not None:
        data["lists"] = [contact_list.pk]
    data.update(extra)
    return data


# Counting in SQL --------------------------------------------------------------------


def test_counts_in_sql_agree_with_the_recipient_list(event):
    mailing = MailingFactory(event=event, lists=[mixed_list()])

    counts = mailing_recipient_counts(mailing=mailing)
    summary = mailing_recipients(mailing=mailing)

    assert counts.by_language == summary.by_language == {"fr": 2, "en": 1}
    assert counts.excluded == summary.excluded
    assert dict(counts.excluded) == {
        SuppressionReason.UNSUBSCRIBED: 1,
        SuppressionReason.BOUNCED: 1,
        SuppressionReason.ERASED: 1,
        "suppression_list": 1,
    }
    assert counts.total == summary.total == 3


def test_counts_fall_back_to_the_release_languages(event):
    release = ReleaseFactory()
    ReleaseVersionFactory(release=release, language="en", slug=f"only-en-{release.pk}")
    contact_list = ContactListFactory()
    for language in ("fr", "fr", "en"):
        JournalistFactory(language=language).lists.add(contact_list)
    mailing = MailingFactory(event=event, release=release, lists=[contact_list])

    assert mailing_recipient_counts(mailing=mailing).by_language == {"en": 3}


def test_counts_leave_out_everyone_when_the_release_has_no_version(event):
    contact_list = ContactListFactory()
    JournalistFactory().lists.add(contact_list)
    mailing = MailingFactory(event=event, release=ReleaseFactory(), lists=[contact_list])

    counts = mailing_recipient_counts(mailing=mailing)

    assert (counts.total, dict(counts.excluded)) == (0, {NO_LANGUAGE: 1})
    assert mailing_recipients(mailing=mailing).excluded == counts.excluded


def test_change_and_send_pages_queries_do_not_grow_with_recipients(
    officer_client, event, django_assert_num_queries
):
    contact_list = ContactListFactory()
    JournalistFactory().lists.add(contact_list)
    mailing = MailingFactory(event=event, lists=[contact_list])
    officer_client.get(change_url(mailing))
    officer_client.get(change_url(mailing, "send/"))

    with CaptureQueriesContext(connection) as change_one:
        officer_client.get(change_url(mailing))
    with CaptureQueriesContext(connection) as send_one:
        officer_client.get(change_url(mailing, "send/"))
    for journalist in JournalistFactory.create_batch(30, language="en"):
        journalist.lists.add(contact_list)
    with django_assert_num_queries(len(change_one.captured_queries)):
        change = officer_client.get(change_url(mailing))
    with django_assert_num_queries(len(send_one.captured_queries)):
        send = officer_client.get(change_url(mailing, "send/"))

    assert "31 recipients" in change.content.decode()
    assert "31 recipients" in send.content.decode()


# The live count ---------------------------------------------------------------------


def test_live_count_counts_what_is_chosen_before_saving(officer_client, event):
    contact_list = mixed_list()

    response = officer_client.post(COUNT_URL, form_data(bilingual_release(), contact_list))

    assert response.status_code == 200
    answer = response.json()
    assert answer["total"] == 3
    assert answer["by_language"] == [
        {"language": "en", "name": "English", "count": 1},
        {"language": "fr", "name": "French", "count": 2},
    ] or answer["by_language"] == [
        {"language": "fr", "name": "French", "count": 2},
        {"language": "en", "name": "English", "count": 1},
    ]
    assert answer["excluded_total"] == 4
    assert {row["reason"]: row["count"] for row in answer["excluded"]} == {
        "unsubscribed": 1,
        "bounced": 1,
        "erased": 1,
        "suppression_list": 1,
    }
    assert answer["text"].startswith("3 recipients (")
    assert "; 4 journalists left out (" in answer["text"]
    assert Mailing.objects.count() == 0


def test_live_count_follows_the_filters(officer_client, event):
    contact_list = mixed_list()

    answer = officer_client.post(
        COUNT_URL,
        form_data(bilingual_release(), contact_list, languages=["fr"], outlet_kinds=["radio"]),
    ).json()

    assert answer["total"] == 1
    assert answer["text"] == "1 recipient (French: 1)."


def test_live_count_of_a_saved_draft_uses_the_unsaved_choice(officer_client, event):
    mailing = MailingFactory(event=event)
    contact_list = mixed_list()

    answer = officer_client.post(
        change_url(mailing, "recipients/"), form_data(mailing.release, contact_list)
    ).json()

    assert answer["total"] == 3
    assert mailing.lists.count() == 0


def test_live_count_in_french_uses_plural_forms(officer_client, event):
    officer_client.cookies["django_language"] = "fr"
    contact_list = ContactListFactory()
    JournalistFactory(language="fr").lists.add(contact_list)

    with translation.override("fr"):
        answer = officer_client.post(
            "/admin/mailings/mailing/recipients/", form_data(bilingual_release(), contact_list)
        ).json()

    assert answer["text"] == "1 destinataire (Français\u202f: 1)."


def test_live_count_refuses_a_bad_choice_and_saves_nothing(officer_client, event):
    response = officer_client.post(
        COUNT_URL, form_data(bilingual_release(), lists=["999999"], languages=["xx"])
    )

    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "Check the recipients."
    assert set(answer["fields"]) == {"lists", "languages"}
    assert Mailing.objects.count() == 0


def test_live_count_refuses_get_and_a_sent_mailing(officer_client, event):
    sent = MailingFactory(event=event, state=MailingState.SENT)

    assert officer_client.get(COUNT_URL).status_code == 405
    assert (
        officer_client.post(change_url(sent, "recipients/"), form_data(sent.release)).status_code
        == 400
    )


@pytest.mark.parametrize("group", [permissions.VIEWER, permissions.ACCREDITATION_REVIEWER])
def test_live_count_is_for_those_who_may_change_mailings(client, staff_user, event, group):
    mailing = MailingFactory(event=event)
    client.force_login(staff_user(group))

    assert client.post(COUNT_URL, form_data(mailing.release)).status_code == 403
    assert (
        client.post(change_url(mailing, "recipients/"), form_data(mailing.release)).status_code
        == 403
    )


def test_live_count_is_not_for_the_public(client, event):
    mailing = MailingFactory(event=event)

    response = client.post(change_url(mailing, "recipients/"), form_data(mailing.release))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_change_page_has_the_live_count_region_and_script(officer_client, event):
    mailing = MailingFactory(event=event)

    add = officer_client.get("/admin/mailings/mailing/add/").content.decode()
    change = officer_client.get(change_url(mailing)).content.decode()

    assert 'aria-live="polite"' in add
    assert f'data-count-url="{COUNT_URL}"' in add
    assert f'data-count-url="{change_url(mailing, "recipients/")}"' in change
    assert "mailings/recipients.js" in change
    assert "<script>" not in change.replace("<script src", "")


# Event, buttons, preview ------------------------------------------------------------


def test_release_mailing_takes_its_event_from_the_release(officer_client, event):
    other = EventFactory(slug="other-edition")
    release = bilingual_release(event=event)

    officer_client.post(
        "/admin/mailings/mailing/add/",
        {**form_data(release, ContactListFactory()), "event": other.pk},
    )

    assert Mailing.objects.get().event == event


def test_invitation_keeps_the_chosen_event(event):
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION, event=event, subject={"en": "x"}, message={"en": "y"}
    )

    assert Mailing.objects.get(pk=mailing.pk).event == event


def test_draft_has_no_cancel_button_but_a_scheduled_one_has(officer_client, event):
    draft = MailingFactory(event=event)
    scheduled = MailingFactory(
        event=event,
        state=MailingState.SCHEDULED,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
    )

    assert "mailing-cancel" not in officer_client.get(change_url(draft)).content.decode()
    assert "mailing-cancel" in officer_client.get(change_url(scheduled)).content.decode()


def test_preview_shows_subject_and_sender(officer_client, event):
    mailing = MailingFactory(event=event, sender_name="Press office", reply_to="desk@event.example")

    html = officer_client.get(change_url(mailing, "preview/en/")).content.decode()

    assert '<span class="preview-subject">Cities commit</span>' in html
    assert "Press office &lt;press@event.example&gt;" in html
    assert '<span class="preview-reply-to">desk@event.example</span>' in html
    assert html.index("preview-subject") > html.lower().index("<body")


# The report -------------------------------------------------------------------------


def test_report_shows_rates_of_sent_and_failed_apart_from_in_doubt(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.SENT)
    now = timezone.now()
    DeliveryFactory(
        mailing=mailing,
        state=DeliveryState.CLICKED,
        delivered_at=now,
        opened_at=now,
        clicked_at=now,
    )
    DeliveryFactory(mailing=mailing, state=DeliveryState.DELIVERED, delivered_at=now)
    DeliveryFactory(mailing=mailing, state=DeliveryState.OPENED, delivered_at=now, opened_at=now)
    DeliveryFactory(
        mailing=mailing,
        state=DeliveryState.BOUNCED,
        bounced_at=now,
        error="550 5.1.1 <x@y.example>: Recipient address rejected: User unknown",
    )
    DeliveryFactory(mailing=mailing, state=DeliveryState.FAILED, error="SMTPServerDisconnected")
    DeliveryFactory(mailing=mailing, state=DeliveryState.IN_DOUBT)
    DeliveryFactory(mailing=mailing, state=DeliveryState.IN_DOUBT)

    html = officer_client.get(change_url(mailing, "report/")).content.decode()

    assert '<div class="mailing-rate rate-delivered"><dt>Delivered</dt><dd>75.0&nbsp;%' in html
    assert '<div class="mailing-rate rate-opened"><dt>Opened</dt><dd>50.0&nbsp;%' in html
    assert '<div class="mailing-rate rate-clicked"><dt>Clicked</dt><dd>25.0&nbsp;%' in html
    assert '<div class="mailing-rate rate-bounced"><dt>Bounced</dt><dd>25.0&nbsp;%' in html
    assert "shares of the 4 messages the provider accepted" in html
    assert '<span class="mailing-failed">1 failed (never left);</span>' in html
    assert '<span class="mailing-in-doubt">2 in doubt (may have been sent).</span>' in html


def test_report_explains_the_provider_error_and_keeps_the_raw_text(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.SENT)
    raw = "550 5.1.1 <x@y.example>: Recipient address rejected: User unknown"
    DeliveryFactory(mailing=mailing, state=DeliveryState.BOUNCED, error=raw)

    html = officer_client.get(change_url(mailing, "report/")).content.decode()

    assert (
        '<summary title="550 5.1.1 &lt;x@y.example&gt;: Recipient address rejected: User unknown">'
        "The address does not exist (any more): check it with the journalist or the outlet."
        "</summary>"
    ) in html


def test_report_of_nothing_sent_shows_no_rate(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.CANCELLED)

    html = officer_client.get(change_url(mailing, "report/")).content.decode()

    assert html.count("<dd>— ") == 4


@pytest.mark.parametrize(
    ("raw", "start"),
    [
        ("550 5.1.1 user unknown", "The address does not exist"),
        ("550 Host unknown", "The address's domain"),
        ("552 5.2.2 Mailbox full", "The journalist's mailbox is full"),
        ("554 5.7.1 Message rejected as spam", "The receiving server refused"),
        ("Account disabled", "The mailbox is closed"),
        ("552 5.3.4 Message size exceeds fixed limit", "The message was too large"),
        ("421 4.4.2 Connection timed out", "The receiving server did not answer"),
        ("Address is on the suppression list (previously bounced)", "The provider did not send"),
        ("SMTPAuthenticationError: (535, b'bad credentials')", "Our sending service"),
        ("Something nobody has seen", ""),
        ("", ""),
    ],
)
def test_error_explained_common_reasons(raw, start):
    assert error_explained(raw).startswith(start)
    assert bool(error_explained(raw)) == bool(start)


def test_error_explained_in_french():
    with translation.override("fr"):
        assert error_explained("552 5.2.2 Mailbox full").startswith("La boîte")


# Lists at volume --------------------------------------------------------------------


def test_mailing_list_and_sent_page_queries_do_not_grow_with_deliveries(
    officer_client, event, django_assert_num_queries
):
    mailing = MailingFactory(event=event, state=MailingState.SENT)
    DeliveryFactory(mailing=mailing)
    officer_client.get("/admin/mailings/mailing/")
    officer_client.get(change_url(mailing))

    with CaptureQueriesContext(connection) as list_one:
        officer_client.get("/admin/mailings/mailing/")
    with CaptureQueriesContext(connection) as page_one:
        officer_client.get(change_url(mailing))
    DeliveryFactory.create_batch(10, mailing=mailing)
    for _index in range(4):
        DeliveryFactory(mailing=MailingFactory(event=event, state=MailingState.SENT))
    with django_assert_num_queries(len(list_one.captured_queries)):
        listed = officer_client.get("/admin/mailings/mailing/")
    with django_assert_num_queries(len(page_one.captured_queries)):
        officer_client.get(change_url(mailing))

    assert (
        '<progress max="11" value="11" title="11 / 11"></progress> 100%' in listed.content.decode()
    )
