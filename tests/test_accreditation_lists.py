"""The review queue and the invitations page at volume: the per-outlet count runs for
the page shown only, and the invitations come a page at a time."""

import datetime as dt
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.accreditation.admin import INVITATIONS_PER_PAGE
from press.accreditation.invitations import invitation_deliveries, invitation_state_counts
from press.mailings.enums import MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import JournalistFactory, OutletFactory
from tests.factories.accreditation import BadgeRequestFactory

CHANGELIST = "/admin/accreditation/badgerequest/"


def test_queue_counts_outlets_for_the_page_only(client, staff_user, event):
    client.force_login(staff_user("Accreditation reviewer"))
    outlet = OutletFactory()
    BadgeRequestFactory.create_batch(3, event=event, outlet=outlet, state="approved")
    BadgeRequestFactory(event=event, outlet=outlet)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)

    counting = [q["sql"] for q in queries if "outlet_approved" in q["sql"]]
    assert len(counting) == 1
    assert "IN (" in counting[0]
    assert sorted(r.outlet_approved for r in response.context["cl"].result_list) == [2, 2, 2, 3]


def test_queue_flag_filter_still_counts_every_row(client, staff_user, event):
    client.force_login(staff_user("Accreditation reviewer"))
    event.per_outlet_limit = 1
    event.save()
    outlet = OutletFactory()
    BadgeRequestFactory(event=event, outlet=outlet, state="approved")
    held = BadgeRequestFactory(event=event, outlet=outlet)
    BadgeRequestFactory(event=event, outlet=OutletFactory())

    response = client.get(CHANGELIST, {"flag": "outlet_limit"})

    assert [r.pk for r in response.context["cl"].result_list] == [held.pk]


def invite(event, count: int) -> list:
    """`count` journalists, each sent an invitation to `event`; the first one opened it."""
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    journalists = JournalistFactory.create_batch(count)
    Delivery.objects.bulk_create(
        Delivery(
            mailing=mailing,
            journalist=journalist,
            email=journalist.email,
            language="fr",
            sent_at=timezone.now(),
            opened_at=timezone.now() if index == 0 else None,
        )
        for index, journalist in enumerate(journalists)
    )
    return journalists


def test_invitations_page_comes_a_page_at_a_time(client, staff_user, event):
    client.force_login(staff_user("Accreditation reviewer"))
    journalists = invite(event, INVITATIONS_PER_PAGE + 1)
    BadgeRequestFactory(event=event, email=journalists[1].email.upper())

    first = client.get(f"{CHANGELIST}invitations/")
    second = client.get(f"{CHANGELIST}invitations/", {"page": "2"})
    beyond = client.get(f"{CHANGELIST}invitations/", {"page": "99"})

    assert len(first.context["rows"]) == INVITATIONS_PER_PAGE
    assert len(second.context["rows"]) == 1
    assert len(beyond.context["rows"]) == 1
    assert [count for _label, count in first.context["states"]] == [
        INVITATIONS_PER_PAGE - 1,
        1,
        0,
        1,
    ]
    assert "Page 1 sur 2" in first.content.decode()


def test_queue_reads_each_event_once_and_counts_requests_once(client, staff_user, event):
    client.force_login(staff_user("Accreditation reviewer"))
    BadgeRequestFactory.create_batch(3, event=event)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)

    sql = [q["sql"] for q in queries]
    page = [s for s in sql if s.startswith('SELECT "accreditation_badgerequest"."id"')]
    assert page and all('JOIN "events_event"' not in s for s in page)
    counts = [s for s in sql if "COUNT(*)" in s and '"accreditation_badgerequest"' in s]
    assert len(counts) == 1
    rows = response.context["cl"].result_list
    with CaptureQueriesContext(connection) as later:
        assert {row.event.per_outlet_limit for row in rows} == {event.per_outlet_limit}
    assert len(later) == 0


def test_invitations_page_counts_its_deliveries_once(client, staff_user, event):
    client.force_login(staff_user("Accreditation reviewer"))
    invite(event, 3)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{CHANGELIST}invitations/")

    reading = [q["sql"] for q in queries if '"mailings_delivery"' in q["sql"]]
    # How far all went, how far those that led to a request went, then the page.
    assert len(reading) == 3
    assert not any("GROUP BY" in sql for sql in reading)
    assert response.context["page_obj"].paginator.count == 3


def test_invitation_counts_agree_with_each_invitation_state(event):
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    reminder = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    now = timezone.now()
    cases = [
        ({}, None),
        ({"opened_at": now}, None),
        ({"opened_at": now, "clicked_at": now}, None),
        ({"clicked_at": now}, "by journalist"),
        ({"opened_at": now}, "by address"),
        ({}, "by address"),
    ]
    for times, request in cases:
        journalist = JournalistFactory()
        for sent_by in (mailing, reminder):
            Delivery.objects.create(
                mailing=sent_by,
                journalist=journalist,
                email=journalist.email,
                language="fr",
                sent_at=now,
                **times,
            )
        if request == "by journalist":
            BadgeRequestFactory(event=event, journalist=journalist, email="other@x.example")
        elif request == "by address":
            BadgeRequestFactory(event=event, journalist=None, email=journalist.email.upper())
    Delivery.objects.create(mailing=mailing, email="draft@x.example", language="fr")

    counts = invitation_state_counts(event=event)

    states = Counter(invitation_deliveries(event=event).values_list("invitation_state", flat=True))
    assert counts == {"requested": 6, "clicked": 2, "opened": 2, "sent": 2}
    assert counts == {state: states.get(state, 0) for state in counts}


def test_queue_writes_capacity_days_as_french_does(client, staff_user):
    from tests.factories import EventFactory

    client.force_login(staff_user("Accreditation reviewer"))
    event = EventFactory(starts_on=dt.date(2027, 4, 1), ends_on=dt.date(2027, 4, 2))
    BadgeRequestFactory(event=event, state="approved", days=["2027-04-01"])

    body = client.get(CHANGELIST, {"event": event.pk}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "jeudi 1er avril 2027\u202f: 1" in body
    assert " : " not in body.split('class="badge-capacity"', 1)[1].split("</section>", 1)[0]
