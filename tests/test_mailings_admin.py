import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone, translation
from openpyxl import load_workbook

from press import permissions
from press.mailings.enums import DeliveryState, MailingState
from press.mailings.models import Delivery, Mailing
from press.mailings.sending import _claim_batch, _freeze, mailing_send
from press.releases.enums import ReleaseStatus
from tests.factories import ContactListFactory, JournalistFactory, OutletFactory
from tests.factories.mailings import (
    DeliveryFactory,
    InvitationMailingFactory,
    MailingFactory,
    bilingual_release,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    """The back office in English, so the assertions read like the screens."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def audience(*languages):
    contact_list = ContactListFactory()
    for language in languages:
        JournalistFactory(language=language).lists.add(contact_list)
    return contact_list


def change_url(mailing, suffix="change/"):
    return f"/admin/mailings/mailing/{mailing.pk}/{suffix}"


def test_admin_creates_a_mailing_from_a_release(officer_client, officer, event):
    release = bilingual_release()
    contact_list = audience("fr", "en")

    page = officer_client.get(f"/admin/mailings/mailing/add/?release={release.pk}")
    response = officer_client.post(
        f"/admin/mailings/mailing/add/?release={release.pk}",
        {
            "kind": "release",
            "event": event.pk,
            "release": release.pk,
            "subject_0": "",
            "subject_1": "Cities commit: read this",
            "message_0": "",
            "message_1": "",
            "sender_name": "Press office",
            "sender_email": "",
            "reply_to": "",
            "lists": [contact_list.pk],
            "outlet_kinds": ["newspaper"],
        },
    )

    assert page.status_code == 200
    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert (mailing.release, mailing.created_by, mailing.state) == (release, officer, "draft")
    assert mailing.subject == {"en": "Cities commit: read this"}
    assert mailing.outlet_kinds == ["newspaper"]
    assert list(mailing.lists.all()) == [contact_list]


def test_admin_refuses_an_invitation_without_message(officer_client, event):
    response = officer_client.post(
        "/admin/mailings/mailing/add/",
        {"kind": "invitation", "event": event.pk, "subject_0": "Invitation"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["message"] == [
        "Write the message in at least one language."
    ]
    assert Mailing.objects.count() == 0


def test_admin_change_page_counts_recipients_per_language(officer_client, event):
    mailing = MailingFactory(lists=[audience("fr", "fr", "en")], event=event)

    response = officer_client.get(change_url(mailing))

    html = response.content.decode()
    assert "3 recipients" in html
    assert '<li class="by-language" data-language="fr">French: 2</li>' in html
    assert '<li class="by-language" data-language="en">English: 1</li>' in html
    assert change_url(mailing, "preview/fr/") in html
    assert change_url(mailing, "preview/en/") in html


def test_admin_previews_each_language(officer_client, event):
    mailing = MailingFactory(event=event)

    french = officer_client.get(change_url(mailing, "preview/fr/"))
    english_text = officer_client.get(change_url(mailing, "preview/en/") + "?part=text")

    assert french.status_code == 200
    assert "Les villes s&#x27;engagent" in french.content.decode()
    assert french["Content-Security-Policy"] == "script-src 'none'; frame-ancestors 'self'"
    assert english_text["Content-Type"] == "text/plain; charset=utf-8"
    assert english_text.content.decode().startswith("Dear Alex Martin,")
    assert officer_client.get(change_url(mailing, "preview/de/")).status_code == 404
    assert mail.outbox == []


def test_admin_sends_a_test_to_the_officer(officer_client, officer, event):
    mailing = MailingFactory(event=event)

    response = officer_client.post(change_url(mailing, "test/"), follow=True)

    assert [m.to for m in mail.outbox] == [[officer.email], [officer.email]]
    assert f"Test sent to {officer.email} in French, English." in response.content.decode()
    assert officer_client.get(change_url(mailing, "test/")).status_code == 405


def test_admin_sends_now(officer_client, event, django_capture_on_commit_callbacks):
    mailing = MailingFactory(lists=[audience("fr", "en")], event=event)

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(change_url(mailing, "send/"), {})

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    status = officer_client.get(change_url(mailing, "status/")).json()
    assert status == {
        "state": "sent",
        "state_label": "Sent",
        "total": 2,
        "done": 2,
        "in_doubt": 0,
        "percent": 100,
        "finished": True,
    }


def test_admin_schedules_for_later(officer_client, event, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    mailing = MailingFactory(lists=[audience("fr")], event=event)
    at = timezone.localtime() + dt.timedelta(days=1)

    response = officer_client.post(
        change_url(mailing, "send/"),
        {"send_at_0": at.strftime("%Y-%m-%d"), "send_at_1": at.strftime("%H:%M:%S")},
    )

    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SCHEDULED
    assert mailing.scheduled_at == at.replace(microsecond=0)
    assert mail.outbox == []


def test_admin_refuses_a_send_time_in_the_past(officer_client, event):
    mailing = MailingFactory(lists=[audience("fr")], event=event)
    past = timezone.localtime() - dt.timedelta(hours=1)

    response = officer_client.post(
        change_url(mailing, "send/"),
        {"send_at_0": past.strftime("%Y-%m-%d"), "send_at_1": past.strftime("%H:%M:%S")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["send_at"] == [
        "Choose a time in the future, or leave it empty."
    ]
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT


def test_admin_send_page_explains_why_nobody_would_receive_it(officer_client, event):
    mailing = MailingFactory(event=event)

    page = officer_client.get(change_url(mailing, "send/"))
    response = officer_client.post(change_url(mailing, "send/"), {})

    assert "0 recipients" in page.content.decode()
    assert response.context["form"].non_field_errors() == ["Nobody would receive this mailing."]
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT


def test_admin_send_page_warns_that_a_draft_release_has_no_newsroom_page_yet(officer_client, event):
    draft = MailingFactory(event=event, release=bilingual_release(status=ReleaseStatus.DRAFT))
    published = MailingFactory(event=event)
    warning = "The release is not on the newsroom yet"

    assert warning in officer_client.get(change_url(draft, "send/")).content.decode()
    assert warning not in officer_client.get(change_url(published, "send/")).content.decode()


def test_admin_cancels_a_scheduled_mailing(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.SCHEDULED, scheduled_at=timezone.now())

    officer_client.post(change_url(mailing, "cancel/"))

    mailing.refresh_from_db()
    assert mailing.state == MailingState.CANCELLED


def test_admin_report_totals_per_language_and_outlet_kind(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.SENT)
    radio = OutletFactory(kind="radio")
    DeliveryFactory(mailing=mailing, language="fr", outlet_kind="newspaper")
    DeliveryFactory(
        mailing=mailing,
        language="fr",
        outlet_kind="radio",
        journalist=JournalistFactory(outlet=radio),
        state=DeliveryState.OPENED,
        delivered_at=timezone.now(),
        opened_at=timezone.now(),
    )
    DeliveryFactory(
        mailing=mailing,
        language="en",
        outlet_kind="radio",
        state=DeliveryState.BOUNCED,
        bounced_at=timezone.now(),
    )

    response = officer_client.get(change_url(mailing, "report/"))

    totals = response.context["totals"]
    assert totals["overall"]["values"] == [3, 3, 1, 1, 0, 1, 0, 0, 0, 0, 0]
    assert [(row["label"], row["values"][:4]) for row in totals["by_language"]] == [
        ("English", [1, 1, 0, 0]),
        ("French", [2, 2, 1, 1]),
    ]
    assert [(row["label"], row["counts"]["bounced"]) for row in totals["by_outlet_kind"]] == [
        ("Newspaper", 0),
        ("Radio", 1),
    ]
    html = response.content.decode()
    assert html.count('<tr class="delivery') == 3
    assert html.index("By language</th>") < html.index('<th scope="row">English</th>')
    assert html.index("By outlet kind</th>") < html.index('<th scope="row">Newspaper</th>')


def test_admin_report_queries_do_not_grow_with_rows(
    officer_client, event, django_assert_num_queries
):
    mailing = MailingFactory(event=event, state=MailingState.SENT)
    DeliveryFactory(mailing=mailing)
    officer_client.get(change_url(mailing, "report/"))

    with django_assert_num_queries(13) as one:
        officer_client.get(change_url(mailing, "report/"))
    DeliveryFactory.create_batch(20, mailing=mailing)
    with django_assert_num_queries(len(one.captured_queries)):
        response = officer_client.get(change_url(mailing, "report/"))

    assert response.content.decode().count('<tr class="delivery') == 21


def test_admin_mailing_list_queries_do_not_grow_with_rows(
    officer_client, event, django_assert_num_queries
):
    MailingFactory(event=event)
    officer_client.get("/admin/mailings/mailing/")

    # One of them: the progress of the mailings shown, in one grouped query.
    with django_assert_num_queries(11) as one:
        officer_client.get("/admin/mailings/mailing/")
    for _index in range(5):
        sent = MailingFactory(event=event, lists=[audience("fr", "en")])
        mailing_send(mailing=sent)
    with django_assert_num_queries(len(one.captured_queries)):
        response = officer_client.get("/admin/mailings/mailing/")

    assert (
        response.content.decode().count(
            '<progress max="2" value="2" title="2 / 2"></progress> 100%'
        )
        == 5
    )


def test_admin_exports_the_report_to_xlsx(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.SENT)
    DeliveryFactory(
        mailing=mailing,
        email="=cmd@media.example",
        name='=HYPERLINK("http://evil")',
        outlet_kind="radio",
        state=DeliveryState.CLICKED,
    )

    response = officer_client.get(change_url(mailing, "report.xlsx"))

    assert response["Content-Disposition"].startswith('attachment; filename="mailing-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:6] == ("Email", "Name", "Outlet", "Outlet kind", "Language", "State")
    assert rows[1][:6] == (
        "=cmd@media.example",
        '=HYPERLINK("http://evil")',
        "Outlet " + rows[1][2].split(" ")[1],
        "Radio",
        "fr",
        "Clicked",
    )
    assert workbook.active["B2"].data_type == "s"


@pytest.mark.parametrize(
    ("group", "status_code", "send_code"),
    [(permissions.VIEWER, 200, 403), (permissions.ACCREDITATION_REVIEWER, 403, 403)],
)
def test_admin_mailing_pages_check_permissions(
    client, staff_user, event, group, status_code, send_code
):
    mailing = MailingFactory(lists=[audience("fr")], event=event)
    client.force_login(staff_user(group))

    assert client.get(change_url(mailing, "status/")).status_code == status_code
    assert client.get(change_url(mailing, "report/")).status_code == status_code
    assert client.post(change_url(mailing, "send/"), {}).status_code == send_code
    assert client.post(change_url(mailing, "test/")).status_code == send_code
    assert client.post(change_url(mailing, "cancel/")).status_code == send_code
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT
    assert mail.outbox == []


def test_admin_sent_mailing_is_read_only(officer_client, event):
    mailing = MailingFactory(event=event, state=MailingState.SENT)

    response = officer_client.post(change_url(mailing), {"sender_name": "Changed"})

    mailing.refresh_from_db()
    assert mailing.sender_name == "Press office"
    assert response.status_code == 302
    assert officer_client.post(change_url(mailing, "delete/"), {"post": "yes"}).status_code == 403


def test_admin_sent_mailing_page_offers_no_save_buttons(officer_client, event):
    sent = MailingFactory(event=event, state=MailingState.SENT)
    draft = MailingFactory(event=event)

    sent_page = officer_client.get(change_url(sent)).content.decode()
    draft_page = officer_client.get(change_url(draft)).content.decode()

    assert 'name="_save"' not in sent_page
    assert 'name="_continue"' not in sent_page
    assert 'name="_addanother"' not in sent_page
    assert 'name="_save"' in draft_page
    # A draft is deleted, not cancelled: no red cancel button on it.
    assert "mailing-cancel" not in draft_page


def test_journalist_page_lists_the_mailings_received(officer_client, event):
    delivery = DeliveryFactory(mailing=MailingFactory(event=event), state=DeliveryState.OPENED)

    response = officer_client.get(f"/admin/contacts/journalist/{delivery.journalist.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mailings received" in html
    assert "Cities commit" in html
    assert "Opened" in html


def test_admin_mailing_list_searches_subjects_and_release_titles(officer_client, event):
    MailingFactory(event=event)
    InvitationMailingFactory(event=event)

    by_title = officer_client.get("/admin/mailings/mailing/?q=cities")
    by_subject = officer_client.get("/admin/mailings/mailing/?q=invitation")

    assert by_title.context["cl"].result_count == 1
    assert by_subject.context["cl"].result_count == 1


def test_admin_status_reports_progress_while_sending(officer_client, event):
    mailing = MailingFactory(lists=[audience("fr", "fr", "en", "en")], event=event)
    _freeze(mailing=mailing, by=None, now=timezone.now())
    batch = _claim_batch(mailing=mailing, size=1)
    Delivery.objects.filter(pk=batch[0].pk).update(state=DeliveryState.SENT)

    status = officer_client.get(change_url(mailing, "status/")).json()

    assert status == {
        "state": "sending",
        "state_label": "Sending",
        "total": 4,
        "done": 1,
        "in_doubt": 0,
        "percent": 25,
        "finished": False,
    }


def test_admin_resumes_a_mailing_whose_worker_stopped(
    officer_client, event, django_capture_on_commit_callbacks
):
    mailing = MailingFactory(lists=[audience("fr", "en")], event=event)
    _freeze(mailing=mailing, by=None, now=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(change_url(mailing, "resume/"), follow=True)

    assert "Sending resumes; nobody gets it twice." in response.content.decode()
    assert len(mail.outbox) == 2
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    again = officer_client.post(change_url(mailing, "resume/"), follow=True)
    assert "Only a mailing being sent can be resumed." in again.content.decode()
    assert len(mail.outbox) == 2
