from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from press.accreditation.admin import DayFilter
from press.accreditation.decisions import accreditation_approve
from press.accreditation.errors import AccreditationError
from press.accreditation.models import BadgeRequest, BadgeRequestState
from press.mailings.enums import MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import JournalistFactory, OutletFactory
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory

State = BadgeRequestState
CHANGELIST = "/admin/accreditation/badgerequest/"


@pytest.fixture
def reviewer(staff_user):
    return staff_user("Accreditation reviewer", username="sofia")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_queue_keeps_a_constant_number_of_queries(
    reviewer_client, event, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    outlet = OutletFactory()
    BadgeRequestFactory(event=event, outlet=outlet)
    with CaptureQueriesContext(connection) as one_row:
        assert reviewer_client.get(CHANGELIST).status_code == 200
    BadgeRequestFactory.create_batch(8, event=event, outlet=outlet)
    BadgeRequestFactory.create_batch(3, event=event, outlet=None, invitation_other_email=True)

    with django_assert_num_queries(len(one_row)):
        response = reviewer_client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 12


def test_queue_shows_the_current_event_unless_another_is_chosen(reviewer_client, event):
    from tests.factories import EventFactory

    past = EventFactory(
        slug="past",
        starts_on=event.starts_on.replace(year=2020),
        ends_on=event.starts_on.replace(year=2020),
    )
    current = BadgeRequestFactory(event=event, last_name="Current")
    old = BadgeRequestFactory(event=past, last_name="Old")

    default = reviewer_client.get(CHANGELIST)
    chosen = reviewer_client.get(CHANGELIST, {"event": past.pk})
    everything = reviewer_client.get(CHANGELIST, {"event": "all"})

    assert [r.pk for r in default.context["cl"].result_list] == [current.pk]
    assert [r.pk for r in chosen.context["cl"].result_list] == [old.pk]
    assert {r.pk for r in everything.context["cl"].result_list} == {current.pk, old.pk}
    day_filter = next(f for f in chosen.context["cl"].filter_specs if isinstance(f, DayFilter))
    assert [value for value, _label in day_filter.lookup_choices] == [
        "2020-" + event.starts_on.strftime("%m-%d")
    ]


def test_queue_shows_thumbnail_and_flags(reviewer_client, event):
    event.per_outlet_limit = 1
    event.save()
    outlet = OutletFactory(name="Le Soir")
    first = BadgeRequestFactory(
        event=event, outlet=outlet, outlet_name="Le Soir", state=State.APPROVED
    )
    BadgeRequestFactory(event=event, outlet=outlet, outlet_name="Le Soir")
    BadgeRequestFactory(event=event, outlet=None, invitation_other_email=True)

    body = reviewer_client.get(CHANGELIST).content.decode()

    assert f'src="/private/badge-requests/{first.pk}/photo/"' in body
    assert body.count("média à sa limite (badges acceptés\u202f: 1 sur 1)") == 1
    assert "invitation utilisée avec une autre adresse" in body
    assert "média inconnu" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("flag=unknown_outlet", {"nowhere@x.example"}),
        ("flag=invitation", {"other@x.example"}),
        ("flag=outlet_limit", {"b@x.example"}),
        ("flag=none", {"a@x.example", "calm@x.example"}),
        ("state__exact=approved", {"a@x.example", "calm@x.example"}),
        ("role__exact=photographer", {"other@x.example"}),
        ("country=FR", {"nowhere@x.example"}),
    ],
)
def test_queue_filters(reviewer_client, event, query, expected):
    event.per_outlet_limit = 1
    event.save()
    crowded, calm = OutletFactory(), OutletFactory()
    BadgeRequestFactory(event=event, outlet=crowded, email="a@x.example", state=State.APPROVED)
    BadgeRequestFactory(event=event, outlet=crowded, email="b@x.example")
    BadgeRequestFactory(event=event, outlet=calm, email="calm@x.example", state=State.APPROVED)
    BadgeRequestFactory(event=event, outlet=None, email="nowhere@x.example", outlet_country="FR")
    BadgeRequestFactory(
        event=event,
        outlet=OutletFactory(),
        email="other@x.example",
        role="photographer",
        invitation_other_email=True,
    )

    response = reviewer_client.get(f"{CHANGELIST}?{query}")

    assert {r.email for r in response.context["cl"].result_list} == expected


def test_queue_filters_by_day(reviewer_client, event):
    second_day = event.days[1].isoformat()
    BadgeRequestFactory(event=event, email="first@x.example", days=[event.days[0].isoformat()])
    BadgeRequestFactory(event=event, email="second@x.example", days=[second_day])

    response = reviewer_client.get(f"{CHANGELIST}?day={second_day}")

    assert [r.email for r in response.context["cl"].result_list] == ["second@x.example"]


def test_bulk_approve_reports_capacity_refusals(
    reviewer_client, event, django_capture_on_commit_callbacks
):
    event.press_capacity = 1
    event.save()
    first = BadgeRequestFactory(event=event, last_name="Premier")
    second = BadgeRequestFactory(event=event, last_name="Second")

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            CHANGELIST,
            {
                "action": "approve_selected",
                "_selected_action": [first.pk, second.pk],
                "confirmed": "yes",
            },
        )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.APPROVED, State.SUBMITTED)
    assert _messages(response) == [
        f"{second.full_name}: La capacité presse de 1 badge est atteinte.",
        "1 demande passée à l’état «\u202facceptée\u202f».",
    ]
    assert len(mail.outbox) == 1


def test_bulk_reject(reviewer_client, event):
    requests = BadgeRequestFactory.create_batch(2, event=event)

    reviewer_client.post(
        CHANGELIST,
        {
            "action": "reject_selected",
            "_selected_action": [r.pk for r in requests],
            "confirmed": "yes",
            "note": "Hors délai",
        },
    )

    assert set(BadgeRequest.objects.values_list("state", flat=True)) == {State.REJECTED}


def test_change_page_shows_documents_and_decisions(reviewer_client, event):
    badge_request = BadgeRequestFactory(event=event)

    response = reviewer_client.get(f"{CHANGELIST}{badge_request.pk}/change/")

    body = response.content.decode()
    assert f'src="/private/badge-requests/{badge_request.pk}/photo/"' in body
    assert f'href="/private/badge-requests/{badge_request.pk}/press_card/"' in body
    assert [name for name, _label in response.context["decisions"]] == [
        "approve",
        "waitlist",
        "reject",
        "cancel",
    ]


def test_decide_with_note_rejects_and_records_reviewer(
    reviewer_client, event, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            f"{CHANGELIST}{badge_request.pk}/decide/",
            {"action": "reject", "note": "Pas de justificatif", "confirmed": "1"},
        )

    assert response.status_code == 302
    badge_request.refresh_from_db()
    assert badge_request.state == State.REJECTED
    assert badge_request.decided_by.username == "sofia"
    assert "Motif\u202f: Pas de justificatif" in mail.outbox[0].body


def test_decide_field_visit_full_is_explained(reviewer_client, event):
    visit = FieldVisitFactory(event=event, capacity=1, name={"fr": "Centre de crise"})
    BadgeRequestFactory(event=event, state=State.APPROVED).field_visits.add(visit)
    badge_request = BadgeRequestFactory(event=event)
    badge_request.field_visits.add(visit)

    response = reviewer_client.post(
        f"{CHANGELIST}{badge_request.pk}/decide/", {"action": "approve", "confirmed": "1"}
    )

    assert _messages(response) == [
        f"{badge_request.full_name}: La visite de terrain "
        "«\u202fCentre de crise\u202f» est complète (1 place)."
    ]
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED


def test_decide_refused_to_viewer(client, event, staff_user):
    client.force_login(staff_user("Viewer"))
    badge_request = BadgeRequestFactory(event=event)

    response = client.post(f"{CHANGELIST}{badge_request.pk}/decide/", {"action": "approve"})

    assert response.status_code == 403
    badge_request.refresh_from_db()
    assert badge_request.state == State.SUBMITTED


def test_decide_needs_post(reviewer_client, event):
    badge_request = BadgeRequestFactory(event=event)

    response = reviewer_client.get(f"{CHANGELIST}{badge_request.pk}/decide/?action=approve")

    assert response.status_code == 405


def test_queue_refused_to_checkin_desk(client, event, staff_user):
    client.force_login(staff_user("Check-in desk"))

    assert client.get(CHANGELIST).status_code == 403


def test_export_action_is_formula_safe(reviewer_client, event):
    hostile = BadgeRequestFactory(event=event, last_name='=HYPERLINK("http://x")')

    response = reviewer_client.post(
        CHANGELIST, {"action": "export_selected", "_selected_action": [hostile.pk]}
    )

    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet["A1"].value == "Nom"
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"


def test_export_view_lists_approved_only(reviewer_client, event):
    BadgeRequestFactory(event=event, last_name="Accepté", state=State.APPROVED)
    BadgeRequestFactory(event=event, last_name="Attente")

    response = reviewer_client.get(f"{CHANGELIST}export/")

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Accepté"]


def test_remind_creates_draft_for_invitees_without_request(officer_client, event):
    mailing = Mailing.objects.create(
        kind=MailingKind.INVITATION,
        event=event,
        subject={"fr": "Invitation presse", "en": "Press invitation"},
        message={"fr": "Venez !", "en": "Come!"},
    )
    waiting = JournalistFactory(email="waiting@x.example")
    requested = JournalistFactory(email="requested@x.example")
    for journalist in (waiting, requested):
        Delivery.objects.create(
            mailing=mailing,
            journalist=journalist,
            email=journalist.email,
            language="fr",
            sent_at=timezone.now(),
        )
    BadgeRequestFactory(event=event, email="Requested@x.example")

    response = officer_client.post(f"{CHANGELIST}remind/")

    reminder = Mailing.objects.exclude(pk=mailing.pk).get()
    assert response["Location"] == reverse("admin:mailings_mailing_change", args=[reminder.pk])
    assert list(reminder.journalists.all()) == [waiting]
    assert reminder.subject == {
        "fr": "Rappel\u202f: Invitation presse",
        "en": "Reminder: Press invitation",
    }
    assert (reminder.kind, reminder.event, reminder.state) == ("invitation", event, "draft")


def test_remind_with_nobody_left_says_so(officer_client, event):
    response = officer_client.post(f"{CHANGELIST}remind/")

    assert _messages(response) == ["Tous les journalistes invités ont déjà envoyé une demande."]
    assert Mailing.objects.count() == 0


def test_remind_refused_to_reviewer(reviewer_client, event):
    assert reviewer_client.post(f"{CHANGELIST}remind/").status_code == 403


def test_invitations_page_shows_how_far_each_went(reviewer_client, event):
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    now = timezone.now()
    states = {
        "sent@x.example": {},
        "opened@x.example": {"opened_at": now},
        "clicked@x.example": {"opened_at": now, "clicked_at": now},
        "requested@x.example": {"opened_at": now},
    }
    for email, times in states.items():
        Delivery.objects.create(
            mailing=mailing,
            journalist=JournalistFactory(email=email),
            email=email,
            language="fr",
            sent_at=now,
            **times,
        )
    BadgeRequestFactory(event=event, email="requested@x.example")

    response = reviewer_client.get(f"{CHANGELIST}invitations/")

    assert {row["delivery"].email: row["state"] for row in response.context["rows"]} == {
        "sent@x.example": "sent",
        "opened@x.example": "opened",
        "clicked@x.example": "clicked",
        "requested@x.example": "requested",
    }
    assert [count for _label, count in response.context["states"]] == [1, 1, 1, 1]


def test_journalist_page_lists_badge_requests(officer_client, event):
    journalist = JournalistFactory()
    BadgeRequestFactory(event=event, journalist=journalist, outlet_name="Radio Nord")

    response = officer_client.get(f"/admin/contacts/journalist/{journalist.pk}/change/")

    assert response.status_code == 200
    assert "Radio Nord" in response.content.decode()


def _query_count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_field_visit_list_keeps_a_constant_number_of_queries(
    reviewer_client, event, django_assert_num_queries
):
    url = "/admin/accreditation/fieldvisit/"
    visit = FieldVisitFactory(event=event, capacity=2)
    BadgeRequestFactory(event=event, state=State.APPROVED).field_visits.add(visit)
    one = _query_count(reviewer_client, url)
    for _index in range(5):
        more = FieldVisitFactory(event=event)
        BadgeRequestFactory(event=event).field_visits.add(more)

    with django_assert_num_queries(one):
        response = reviewer_client.get(url)

    rows = {v.pk: (v.approved_count, v.requested_count) for v in response.context["cl"].result_list}
    assert rows[visit.pk] == (1, 1)
    assert len(rows) == 6


def test_invitations_page_keeps_a_constant_number_of_queries(
    reviewer_client, event, django_assert_num_queries
):
    url = f"{CHANGELIST}invitations/"
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)

    def invite():
        journalist = JournalistFactory()
        Delivery.objects.create(
            mailing=mailing,
            journalist=journalist,
            email=journalist.email,
            language="fr",
            sent_at=timezone.now(),
        )

    invite()
    one = _query_count(reviewer_client, url)
    for _index in range(6):
        invite()

    with django_assert_num_queries(one):
        response = reviewer_client.get(url)

    assert len(response.context["rows"]) == 7


def test_change_page_is_read_only_with_equipment_and_visits_by_name(reviewer_client, event):
    visit = FieldVisitFactory(event=event, name={"fr": "Centre de crise", "en": "Crisis centre"})
    badge_request = BadgeRequestFactory(event=event, equipment=["camera", "live"])
    badge_request.field_visits.set([visit])

    response = reviewer_client.get(f"{CHANGELIST}{badge_request.pk}/change/")

    body = response.content.decode()
    assert response.context["show_save"] is False
    assert 'name="_save"' not in body
    assert 'name="field_visits"' not in body
    assert '<div class="readonly">Caméra, Transmission en direct</div>' in body
    assert '<div class="readonly">Centre de crise</div>' in body


def test_queue_shows_state_next_to_name_and_outlet_details(reviewer_client, event):
    BadgeRequestFactory(
        event=event,
        outlet_name="Le Soir",
        outlet_kind="newspaper",
        outlet_country="BE",
        state=State.WAITLISTED,
    )

    response = reviewer_client.get(CHANGELIST)

    body = response.content.decode()
    assert response.context["cl"].list_display[2:5] == ["name", "state_label", "outlet_column"]
    assert 'Le Soir<br><span class="badge-outlet-detail">Quotidien · Belgique</span>' in body


@pytest.mark.parametrize(("country", "agreed"), [("BE", True), ("FR", False)])
def test_review_flag_and_approval_agree_on_the_outlet_limit(
    reviewer_client, reviewer, event, country, agreed
):
    """An outlet the media file does not know is the same outlet by name (any case) in
    the same country: the queue flags exactly the requests approving would refuse."""
    event.per_outlet_limit = 1
    event.save()
    first = BadgeRequestFactory(
        event=event, outlet=None, outlet_name="Radio Quartier", outlet_country="BE"
    )
    second = BadgeRequestFactory(
        event=event, outlet=None, outlet_name="RADIO quartier", outlet_country=country
    )
    accreditation_approve(badge_request=first, by=reviewer)

    flagged = reviewer_client.get(CHANGELIST + "?flag=outlet_limit").context["cl"].result_list
    refused = False
    try:
        accreditation_approve(badge_request=second, by=reviewer)
    except AccreditationError as error:
        refused = error.code == "outlet_limit"

    assert [r.pk for r in flagged] == ([second.pk] if agreed else [])
    assert refused is agreed
