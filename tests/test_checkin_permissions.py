"""Who may check badges in: the Check-in desk group and press officers, nobody else."""

import pytest
from django.contrib.auth.models import Group

from press import permissions

pytestmark = pytest.mark.django_db


def _codes(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_checkin_desk_group_may_check_in_and_nothing_else():
    assert _codes(permissions.CHECKIN_DESK) == {"events.check_in_badge"}


def test_press_officer_may_check_in_and_resolve_holds():
    codes = _codes(permissions.PRESS_OFFICER)
    assert {"events.check_in_badge", "checkin.change_hold", "checkin.view_scan"} <= codes


@pytest.mark.parametrize("group_name", [permissions.ACCREDITATION_REVIEWER, permissions.VIEWER])
def test_other_groups_may_not_check_in(group_name):
    codes = _codes(group_name)
    assert "events.check_in_badge" not in codes
    assert "checkin.change_hold" not in codes
