"""seed_demo for the desk: badges, check-ins, a hold, and the demo desk account that
logs in to a working check-in page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from press.accreditation.models import BadgeRequest, BadgeRequestState
from press.badges.models import Badge
from press.checkin.models import CheckIn, Hold, Scan

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_checks_some_in_and_holds_one_idempotently():
    _seed()
    counts = (CheckIn.objects.count(), Hold.objects.count(), Scan.objects.count())
    _seed()

    assert counts == (CheckIn.objects.count(), Hold.objects.count(), Scan.objects.count())
    assert CheckIn.objects.count() == 4
    assert {c.badge_request.event.slug for c in CheckIn.objects.all()} == {"brussels-2024"}
    assert all(c.by.username == "desk" for c in CheckIn.objects.all())
    hold = Hold.objects.get()
    assert hold.resolved_at is None
    approved = BadgeRequest.objects.filter(state=BadgeRequestState.APPROVED)
    assert Badge.objects.filter(state="active").count() == approved.count()


def test_demo_desk_logs_in_to_the_check_in_page(client):
    _seed()

    logged_in = client.post(
        reverse("admin:login"),
        {"username": "desk", "password": "presse-demo-2024", "next": "/admin/"},
        follow=True,
    )

    assert logged_in.redirect_chain[-1][0] == reverse("checkin:scan")
    assert logged_in.status_code == 200
    badge = Badge.objects.filter(badge_request__event__slug="lisboa-2027").first()
    answer = client.post(
        reverse("checkin:scan"), {"code": badge.code}, HTTP_ACCEPT="application/json"
    ).json()
    assert answer["result"] == "not_today"


def test_demo_lists_of_the_past_edition(client):
    _seed()
    client.post(reverse("admin:login"), {"username": "desk", "password": "presse-demo-2024"})

    response = client.get(
        reverse("checkin:lists", args=["arrived"]),
        {"event": "brussels-2024", "day": "2024-03-20"},
    )

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 3
