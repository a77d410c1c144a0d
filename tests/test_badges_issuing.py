"""Badges: issued on approval, one active per request, replaced on request, revoked
when the request is withdrawn or cancelled; codes unguessable and impersonal."""

import base64
import io
import re

import pytest
import zxingcpp
from django.db import IntegrityError, transaction
from django.utils import translation
from PIL import Image

from press.accreditation.decisions import (
    accreditation_approve,
    accreditation_cancel,
    accreditation_waitlist,
    accreditation_withdraw,
)
from press.accreditation.models import BadgeRequestState
from press.badges.enums import BadgeState
from press.badges.errors import BadgeError
from press.badges.issuing import badge_issue, badge_replace, badge_revoke
from press.badges.models import Badge, badge_code_new
from press.badges.qr import badge_qr_png, badge_qr_svg
from press.badges.selectors import badge_active, badge_by_code
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.badges import BadgeFactory

State = BadgeRequestState
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _decode(code: str) -> bytes:
    return base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))


def test_badge_code_has_128_random_bits_in_base64url():
    code = badge_code_new()
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", code)
    assert len(_decode(code)) == 16


def test_badge_codes_are_unique():
    codes = {badge_code_new() for _ in range(2000)}
    assert len(codes) == 2000


def test_badge_code_is_unique_in_the_database():
    badge = BadgeFactory()
    other = BadgeFactory.build(badge_request=BadgeFactory().badge_request, code=badge.code)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_badge_code_carries_no_personal_data(officer):
    badge_request = BadgeRequestFactory(
        first_name="Zoë", last_name="O'Brien", email="zoe@media.example", phone="+32470112233"
    )
    accreditation_approve(badge_request=badge_request, by=officer)
    code = badge_active(badge_request=badge_request).code
    raw = _decode(code)
    for value in ("Zoë", "O'Brien", "zoe", "media.example", "32470112233", badge_request.token):
        assert value.lower() not in code.lower()
        assert value.encode().lower() not in raw.lower()
    assert str(badge_request.pk) != code


def test_approving_issues_the_badge_in_the_same_transaction(
    officer, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        accreditation_approve(badge_request=badge_request, by=officer)
        # Before commit, hence before the approval email is rendered and sent.
        assert badge_active(badge_request=badge_request) is not None
    assert len(callbacks) == 1
    assert Badge.objects.filter(badge_request=badge_request, state=BadgeState.ACTIVE).count() == 1


def test_a_refused_approval_issues_no_badge(officer):
    badge_request = BadgeRequestFactory(event__press_capacity=1)
    BadgeRequestFactory(event=badge_request.event, state=State.APPROVED)
    with pytest.raises(Exception, match="capacity"):
        accreditation_approve(badge_request=badge_request, by=officer)
    assert not Badge.objects.filter(badge_request=badge_request).exists()


def test_waitlisting_or_submitting_issues_no_badge(officer):
    badge_request = BadgeRequestFactory()
    accreditation_waitlist(badge_request=badge_request, by=officer)
    assert not Badge.objects.filter(badge_request=badge_request).exists()


def test_badge_issue_is_idempotent():
    badge_request = BadgeRequestFactory(state=State.APPROVED)
    first = badge_issue(badge_request=badge_request)
    again = badge_issue(badge_request=badge_request)
    assert again.pk == first.pk
    assert again.code == first.code
    assert Badge.objects.filter(badge_request=badge_request).count() == 1


def test_badge_issue_refuses_a_request_not_approved():
    badge_request = BadgeRequestFactory(state=State.WAITLISTED)
    with pytest.raises(BadgeError) as error:
        badge_issue(badge_request=badge_request)
    assert error.value.code == "not_approved"
    assert "waitlisted" in str(error.value.message)
    assert not Badge.objects.exists()


def test_approved_after_the_waiting_list_keeps_one_active_badge(officer):
    badge_request = BadgeRequestFactory()
    accreditation_waitlist(badge_request=badge_request, by=officer)
    accreditation_approve(badge_request=badge_request, by=officer)
    badge_issue(badge_request=badge_request)
    assert Badge.objects.filter(badge_request=badge_request).count() == 1
    assert badge_active(badge_request=badge_request).state == BadgeState.ACTIVE


def test_the_database_refuses_two_active_badges_for_one_request():
    badge = BadgeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Badge.objects.create(badge_request=badge.badge_request)


def test_badge_replace_gives_a_new_code_and_the_old_answers_replaced(officer):
    old = BadgeFactory()
    new = badge_replace(badge_request=old.badge_request, by=officer)
    old.refresh_from_db()
    assert new.code != old.code
    assert new.state == BadgeState.ACTIVE
    assert new.printed_at is None
    assert old.state == BadgeState.REPLACED
    assert old.ended_at is not None
    assert old.ended_by == officer
    assert badge_by_code(old.code).state == BadgeState.REPLACED
    assert badge_active(badge_request=old.badge_request) == new


def test_badge_replace_refuses_a_request_not_approved(officer):
    badge = BadgeFactory()
    accreditation_cancel(badge_request=badge.badge_request, by=officer)
    with pytest.raises(BadgeError) as error:
        badge_replace(badge_request=badge.badge_request, by=officer)
    assert error.value.code == "not_approved"
    assert Badge.objects.filter(badge_request=badge.badge_request).count() == 1


@pytest.mark.parametrize("move", ["withdraw", "cancel"])
def test_withdrawing_or_cancelling_revokes_the_badge(officer, move):
    badge_request = BadgeRequestFactory()
    accreditation_approve(badge_request=badge_request, by=officer)
    badge = badge_active(badge_request=badge_request)
    if move == "withdraw":
        accreditation_withdraw(badge_request=badge_request)
    else:
        accreditation_cancel(badge_request=badge_request, by=officer)
    badge.refresh_from_db()
    assert badge.state == BadgeState.REVOKED
    assert badge.ended_at is not None
    assert badge.ended_by == (officer if move == "cancel" else None)
    assert badge_active(badge_request=badge_request) is None
    assert badge_by_code(badge.code).state == BadgeState.REVOKED


def test_withdrawing_a_request_never_approved_revokes_nothing():
    badge_request = BadgeRequestFactory()
    accreditation_withdraw(badge_request=badge_request)
    assert not Badge.objects.filter(badge_request=badge_request).exists()


def test_badge_revoke_refuses_an_approved_request():
    badge = BadgeFactory()
    with pytest.raises(BadgeError) as error:
        badge_revoke(badge_request=badge.badge_request)
    assert error.value.code == "still_approved"
    badge.refresh_from_db()
    assert badge.state == BadgeState.ACTIVE


def test_badge_by_code_loads_what_the_desk_shows(django_assert_num_queries):
    badge = BadgeFactory(badge_request__journalist=None)
    with django_assert_num_queries(1):
        found = badge_by_code(f"  {badge.code}\n")
        assert found == badge
        assert found.badge_request.event.slug
        assert found.badge_request.journalist is None
        assert found.badge_request.outlet is None


@pytest.mark.parametrize("code", ["", "   ", "x" * 33, "unknown-code-of-22-chr"])
def test_badge_by_code_unknown(code, django_assert_num_queries):
    BadgeFactory()
    assert badge_by_code(code) is None


def test_badge_qr_png_decodes_to_the_code():
    code = badge_code_new()
    image = Image.open(io.BytesIO(badge_qr_png(code, scale=4)))
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == code


def test_badge_qr_svg_is_inline_markup_with_a_title():
    svg = badge_qr_svg("abc", title="QR")
    assert svg.startswith("<svg")
    assert "<title>QR</title>" in svg
    assert "style=" not in svg
