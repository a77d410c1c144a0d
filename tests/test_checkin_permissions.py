"""Who may check badges in: the Check-in desk group and press officers, nobody else."""

import pytest
from django.contrib.auth.models import Group, Permission

from press import permissions
from press.checkin.views import desk_allowed
from tests.factories import UserFactory

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


def _may_check_in(**kwargs):
    group = kwargs.pop("group", None)
    user = UserFactory(**kwargs)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({"is_staff": True, "group": permissions.CHECKIN_DESK}, True),
        ({"is_staff": True, "group": permissions.PRESS_OFFICER}, True),
        ({"is_staff": True, "group": permissions.ACCREDITATION_REVIEWER}, False),
        ({"is_staff": True, "group": permissions.VIEWER}, False),
        ({"is_staff": True}, False),
        ({"is_staff": False, "group": permissions.CHECKIN_DESK}, False),
        ({"is_staff": True, "is_active": False, "group": permissions.CHECKIN_DESK}, False),
        ({"is_staff": True, "is_superuser": True}, True),
    ],
)
def test_desk_allowed_answers_as_has_perm(kwargs, allowed):
    user = _may_check_in(**kwargs)

    assert desk_allowed(user) is allowed
    assert desk_allowed(user) is (user.is_staff and user.has_perm("events.check_in_badge"))


def test_desk_allowed_sees_a_permission_given_to_the_user_alone():
    user = _may_check_in(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="check_in_badge"))

    assert desk_allowed(user) is True


def test_desk_allowed_asks_the_database_once_per_request(django_assert_num_queries):
    user = _may_check_in(is_staff=True, group=permissions.CHECKIN_DESK)

    with django_assert_num_queries(1):
        assert desk_allowed(user) is True
        assert desk_allowed(user) is True
