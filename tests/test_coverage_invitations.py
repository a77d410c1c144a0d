"""Asking accredited journalists for their coverage, their personal page, and their
record over earlier editions."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from press.accreditation.enums import BadgeRequestState
from press.coverage.enums import CoverageSource, InvitationState
from press.coverage.models import CoverageInvitation, CoverageItem
from press.coverage.outreach import coverage_invitations_prepare
from press.coverage.records import track_record_describe
from press.coverage.selectors import attended_without_coverage, journalist_track_record
from tests.factories import EventFactory, JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.coverage import CoverageInvitationFactory, CoverageItemFactory


def _accredited(event, **journalist_fields):
    journalist = JournalistFactory(**journalist_fields)
    BadgeRequestFactory(
        event=event,
        journalist=journalist,
        email=journalist.email,
        last_name=journalist.last_name,
        state=BadgeRequestState.APPROVED,
    )
    return journalist


def _submit_url(token, language="en"):
    with translation.override(language):
        return reverse("coverage:submit", kwargs={"token": token})


def test_prepare_asks_accredited_mailable_journalists_once(
    event, officer, django_capture_on_commit_callbacks
):
    french = _accredited(event, language="fr", email="fr@media.example")
    english = _accredited(event, language="en", email="en@media.example")
    suppressed = _accredited(event, email="gone@media.example")
    suppressed.suppressed_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    suppressed.save()
    waitlisted = JournalistFactory()
    BadgeRequestFactory(
        event=event,
        journalist=waitlisted,
        email=waitlisted.email,
        state=BadgeRequestState.WAITLISTED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        invitations = coverage_invitations_prepare(event=event, by=officer)

    assert {i.journalist_id for i in invitations} == {french.pk, english.pk}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "en@media.example",
        "fr@media.example",
    ]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "Partagez" in by_address["fr@media.example"].subject
    assert "Share your coverage" in by_address["en@media.example"].subject
    invitation = CoverageInvitation.objects.get(journalist=french)
    assert invitation.state == InvitationState.SENT
    assert f"/fr/coverage/share/{invitation.token}/" in by_address["fr@media.example"].body

    with django_capture_on_commit_callbacks(execute=True):
        again = coverage_invitations_prepare(event=event, by=officer)

    assert again == []
    assert len(mail.outbox) == 2


def test_each_invitation_has_its_own_long_token(event, officer, django_capture_on_commit_callbacks):
    _accredited(event)
    _accredited(event)

    with django_capture_on_commit_callbacks(execute=True):
        invitations = coverage_invitations_prepare(event=event, by=officer)

    tokens = [i.token for i in invitations]
    assert len(set(tokens)) == 2
    assert all(len(token) >= 43 for token in tokens)


def test_submit_page_unknown_token_is_404(client, db):
    assert client.get(_submit_url("not-a-token")).status_code == 404


def test_submit_page_token_of_an_erased_journalist_is_404(client, event, officer):
    from contacts.journalists import journalist_erase

    invitation = CoverageInvitationFactory(event=event)
    token = invitation.token
    journalist_erase(journalist=invitation.journalist, by=officer)

    assert client.get(_submit_url(token)).status_code == 404


def test_submit_page_adds_an_item_for_that_journalist_and_event(client, event, settings):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False  # the page cannot be read: address kept
    invitation = CoverageInvitationFactory(event=event)

    response = client.post(
        _submit_url(invitation.token), {"url": "http://127.0.0.1:9/my-report", "kind": "radio"}
    )

    assert response.status_code == 302
    item = CoverageItem.objects.get()
    assert (item.event, item.journalist) == (event, invitation.journalist)
    assert item.source == CoverageSource.JOURNALIST
    assert item.kind == "radio"
    assert item.url == "http://127.0.0.1:9/my-report"


def test_submit_page_refuses_a_duplicate_address_with_a_message(client, event):
    invitation = CoverageInvitationFactory(event=event)
    CoverageItemFactory(event=event, url="https://news.example/a")

    response = client.post(
        _submit_url(invitation.token, "fr"), {"url": "https://news.example/a", "kind": "online"}
    )

    assert response.status_code == 400
    assert "déjà dans la couverture" in response.content.decode()
    assert CoverageItem.objects.count() == 1


def test_submit_page_refuses_a_bad_address_in_french(client, event):
    invitation = CoverageInvitationFactory(event=event)

    response = client.post(
        _submit_url(invitation.token, "fr"), {"url": "ftp://x.example/a", "kind": "online"}
    )

    assert response.status_code == 400
    assert "http:// ou https://" in response.content.decode()
    assert CoverageItem.objects.count() == 0


def test_submit_page_token_grants_nothing_for_another_event(client, event):
    """The link adds coverage to its own event, whatever the form says."""
    invitation = CoverageInvitationFactory(event=event)
    other = EventFactory()

    client.post(
        _submit_url(invitation.token),
        {"url": "http://127.0.0.1:9/a", "kind": "online", "event": other.pk},
    )

    assert list(CoverageItem.objects.values_list("event", flat=True)) == [event.pk]


def test_submit_page_is_rate_limited_per_link(client, event, settings, monkeypatch):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False
    monkeypatch.setattr("press.coverage.views.SUBMISSIONS_PER_HOUR", 1)
    invitation = CoverageInvitationFactory(event=event)

    client.post(_submit_url(invitation.token), {"url": "http://127.0.0.1:9/1", "kind": "online"})
    response = client.post(
        _submit_url(invitation.token), {"url": "http://127.0.0.1:9/2", "kind": "online"}
    )

    assert response.status_code == 400
    assert "Too many addresses" in response.content.decode()
    assert CoverageItem.objects.count() == 1


def test_attended_without_coverage_lists_the_silent_ones(event):
    published = _accredited(event)
    silent = _accredited(event)
    CoverageItemFactory(event=event, journalist=published)

    rows = attended_without_coverage(event=event)

    assert [row.journalist_id for row in rows] == [silent.pk]


def test_track_record_per_earlier_edition(db):
    earlier = EventFactory(
        slug="brussels-2024", starts_on=dt.date(2024, 3, 20), ends_on=dt.date(2024, 3, 22)
    )
    older = EventFactory(
        slug="lisbon-2021", starts_on=dt.date(2021, 5, 1), ends_on=dt.date(2021, 5, 2)
    )
    nxt = EventFactory(slug="next", starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 3, 3))
    journalist = JournalistFactory()
    BadgeRequestFactory(
        event=earlier,
        journalist=journalist,
        email=journalist.email,
        state=BadgeRequestState.APPROVED,
    )
    BadgeRequestFactory(
        event=older, journalist=journalist, email=journalist.email, state=BadgeRequestState.REJECTED
    )
    BadgeRequestFactory(event=nxt, journalist=journalist, email=journalist.email)
    CoverageItemFactory.create_batch(3, event=earlier, journalist=journalist)

    records = journalist_track_record(journalist=journalist, before_event=nxt)

    assert [(r.event.slug, r.accredited, r.coverage_count) for r in records] == [
        ("brussels-2024", True, 3),
        ("lisbon-2021", False, 0),
    ]
    with translation.override("en"):
        lines = track_record_describe(records)
    assert lines[0].startswith("accredited in 2024, ")
    assert lines[0].endswith(", 3 items")
    assert lines[1] == "not accredited in 2021, 0 items"


def test_reviewer_sees_the_track_record_on_the_request(client, staff_user, db):
    earlier = EventFactory(starts_on=dt.date(2024, 3, 20), ends_on=dt.date(2024, 3, 22))
    event = EventFactory()
    journalist = JournalistFactory()
    BadgeRequestFactory(
        event=earlier,
        journalist=journalist,
        email=journalist.email,
        state=BadgeRequestState.APPROVED,
    )
    CoverageItemFactory.create_batch(3, event=earlier, journalist=journalist)
    badge_request = BadgeRequestFactory(event=event, journalist=journalist, email=journalist.email)
    client.force_login(staff_user("Accreditation reviewer"))

    response = client.get(
        reverse("admin:accreditation_badgerequest_change", args=[badge_request.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "accredited in 2024" in response.content.decode()
    assert "3 items" in response.content.decode()


def test_ask_page_prepares_the_emails(officer_client, event, django_capture_on_commit_callbacks):
    _accredited(event)

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("admin:coverage_coverageitem_ask"), {"event": event.pk}
        )

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_ask_page_counts_in_sql_and_lists_the_silent_a_page_at_a_time(
    officer_client, event, monkeypatch
):
    monkeypatch.setattr("press.coverage.admin.ASK_PAGE_SIZE", 2)
    url = reverse("admin:coverage_coverageitem_ask")
    asked = _accredited(event, last_name="Asked")
    CoverageInvitationFactory(event=event, journalist=asked)
    CoverageItemFactory(event=event, journalist=asked)
    CoverageItemFactory(event=event, journalist=_accredited(event, last_name="Published"))
    officer_client.get(url, {"event": event.pk})  # warm the session and permissions

    def page(**params):
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(
                url, {"event": event.pk, **params}, HTTP_ACCEPT_LANGUAGE="en"
            )
        assert response.status_code == 200
        return len(queries), response

    nobody_queries, nobody = page()  # everyone published: an empty list
    for name in ("Silva", "Dupont", "Novak"):
        _accredited(event, last_name=name)
    many_queries, first = page()
    _queries, second = page(page=2)

    assert many_queries == nobody_queries
    assert list(nobody.context["silent"]) == []
    assert first.context["to_ask_count"] == 4  # Published and the three new ones
    assert first.context["asked_count"] == 1
    assert [r.last_name for r in first.context["silent"]] == ["Dupont", "Novak"]
    assert [r.last_name for r in second.context["silent"]] == ["Silva"]
    text = first.content.decode()
    assert "Accredited and published nothing yet (3)" in text
    assert "4 journalists to ask." in text
    assert "Page 1 of 2" in text
    assert f"?event={event.pk}&amp;page=2" in text


def test_prepare_skips_journalists_already_asked(event, officer):
    asked = _accredited(event)
    CoverageInvitationFactory(event=event, journalist=asked)
    new = _accredited(event)

    invitations = coverage_invitations_prepare(event=event, by=officer)

    assert [invitation.journalist for invitation in invitations] == [new]
    assert CoverageInvitation.objects.filter(journalist=asked).count() == 1


def test_ask_page_refuses_a_viewer(client, staff_user, event):
    _accredited(event)
    client.force_login(staff_user("Viewer"))

    page = client.get(reverse("admin:coverage_coverageitem_ask"), {"event": event.pk})
    post = client.post(reverse("admin:coverage_coverageitem_ask"), {"event": event.pk})

    assert page.status_code == 200
    assert post.status_code == 403
    assert CoverageInvitation.objects.count() == 0


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_ask_page_unknown_event_is_404(officer_client, db, value):
    assert (
        officer_client.get(reverse("admin:coverage_coverageitem_ask"), {"event": value}).status_code
        == 404
    )
