"""seed_demo gives the approved demo requests their badges, some printed, and stays
idempotent."""

import io

import pytest
from django.core.management import call_command

from press.accreditation.models import BadgeRequest, BadgeRequestState
from press.badges.enums import BadgeState
from press.badges.models import Badge, BadgePrint

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_approved_requests_badges_some_printed():
    call_command("seed_demo", stdout=io.StringIO())
    approved = BadgeRequest.objects.filter(state=BadgeRequestState.APPROVED)
    assert approved.exists()
    for badge_request in approved:
        assert badge_request.badges.filter(state=BadgeState.ACTIVE).count() == 1
    assert not Badge.objects.exclude(badge_request__state=BadgeRequestState.APPROVED).exists()
    printed = Badge.objects.filter(printed_at__isnull=False)
    assert 0 < printed.count() < Badge.objects.count()
    assert all(badge.printed_by.username == "reviewer" for badge in printed)
    assert BadgePrint.objects.count() == printed.count()


def test_seed_demo_twice_changes_no_badge():
    call_command("seed_demo", stdout=io.StringIO())
    before = sorted(Badge.objects.values_list("code", "state", "printed_at"))
    prints = BadgePrint.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(Badge.objects.values_list("code", "state", "printed_at")) == before
    assert BadgePrint.objects.count() == prints
