"""The approval email carries the badge's QR code as an inline image; the private
status page shows it once the request is approved, and only then."""

import io

import pytest
import zxingcpp
from django.core import mail
from django.db import transaction
from django.urls import reverse
from PIL import Image

from press.accreditation.decisions import (
    accreditation_approve,
    accreditation_cancel,
    accreditation_waitlist,
)
from press.accreditation.enums import EmailState
from press.accreditation.models import BadgeRequestEmail
from press.badges.errors import BadgeError
from press.badges.issuing import badge_replace
from press.badges.qr import badge_qr_svg
from press.badges.selectors import badge_active
from tests.factories.accreditation import BadgeRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(event, officer, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_approve(badge_request=badge_request, by=officer)
    return badge_request


def inline_parts(message):
    return [
        part
        for part in message.attachments
        if not isinstance(part, tuple) and part.get("Content-ID")
    ]


def test_approval_email_has_the_qr_code_inline_decoding_to_the_code(approved):
    (message,) = mail.outbox
    (part,) = inline_parts(message)
    cid = part["Content-ID"].strip("<>")
    assert part.get_content_type() == "image/png"
    assert part.get_content_disposition() == "inline"
    html = message.alternatives[0].content
    assert f'src="cid:{cid}"' in html
    assert 'alt="QR code of your press badge"' in html
    image = Image.open(io.BytesIO(part.get_content()))
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == badge_active(badge_request=approved).code
    assert "QR code is in the HTML version of this email" in message.body
    # The calendar file is still attached beside it.
    assert [a[0] for a in message.attachments if isinstance(a, tuple)] == ["badge.ics"]


def test_the_inline_image_reaches_the_provider_as_inline(approved):
    (message,) = mail.outbox
    attachments = message.anymail_test_params["attachments"]
    inline = [a for a in attachments if a.inline]
    assert len(inline) == 1
    assert inline[0].content_id


def test_approval_email_in_french_has_the_alt_text_in_french(
    event, officer, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_approve(badge_request=badge_request, by=officer)
    (message,) = mail.outbox
    assert 'alt="Code QR de votre badge de presse"' in message.alternatives[0].content


def test_other_emails_carry_no_qr_code(event, officer, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_waitlist(badge_request=badge_request, by=officer)
    (message,) = mail.outbox
    assert inline_parts(message) == []
    assert "cid:" not in message.alternatives[0].content


def status_page(client, badge_request):
    return client.get(reverse("accreditation:status", args=[badge_request.token])).content.decode()


def test_status_page_shows_the_qr_code_once_approved(client, approved):
    code = badge_active(badge_request=approved).code
    page = status_page(client, approved)
    assert badge_qr_svg(code, title="Code QR de votre badge de presse") in page
    assert page.count("<svg") == 1


def test_status_page_shows_the_new_code_after_a_replacement(client, approved, officer):
    old = badge_active(badge_request=approved).code
    new = badge_replace(badge_request=approved, by=officer)
    page = status_page(client, approved)
    assert badge_qr_svg(new.code, title="Code QR de votre badge de presse") in page
    assert badge_qr_svg(old, title="Code QR de votre badge de presse") not in page


def test_status_page_shows_no_qr_code_before_approval(client, event):
    badge_request = BadgeRequestFactory(event=event)
    assert "badge-qr" not in status_page(client, badge_request)


def test_status_page_shows_no_qr_code_once_cancelled(client, approved, officer):
    accreditation_cancel(badge_request=approved, by=officer)
    approved.refresh_from_db()
    assert "badge-qr" not in status_page(client, approved)


def _replace(badge_request, officer, capture):
    mail.outbox.clear()
    with capture(execute=True):
        return badge_replace(badge_request=badge_request, by=officer)


def test_a_new_code_emails_the_new_qr_code_and_not_the_old(
    approved, officer, django_capture_on_commit_callbacks
):
    old = badge_active(badge_request=approved).code
    new = _replace(approved, officer, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == [approved.email]
    assert message.subject.startswith("Your press badge has a new code")
    (part,) = inline_parts(message)
    cid = part["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in message.alternatives[0].content
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(part.get_content())))
    assert result.text == new.code != old
    assert "The old code no longer opens the press desk" in message.body
    assert "QR code is in the HTML version of this email" in message.body
    # No calendar file: that belongs to the approval.
    assert [a for a in message.attachments if isinstance(a, tuple)] == []
    email = BadgeRequestEmail.objects.get(badge_request=approved, template="badge_replaced")
    assert email.state == EmailState.SENT
    assert email.message_id == str(message.anymail_status.message_id)


def test_the_new_code_email_is_in_the_journalist_language(
    event, officer, django_capture_on_commit_callbacks
):
    badge_request = BadgeRequestFactory(event=event, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_approve(badge_request=badge_request, by=officer)

    _replace(badge_request, officer, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject.startswith("Votre badge de presse a un nouveau code")
    html = message.alternatives[0].content
    assert 'alt="Code QR de votre badge de presse"' in html
    assert "L’ancien code n’ouvre plus l’accueil presse" in message.body


def test_a_refused_replacement_sends_nothing(event, officer, django_capture_on_commit_callbacks):
    badge_request = BadgeRequestFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BadgeError):
        badge_replace(badge_request=badge_request, by=officer)
    assert mail.outbox == []
    assert not BadgeRequestEmail.objects.filter(template="badge_replaced").exists()


def test_a_replacement_rolled_back_sends_nothing(
    approved, officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        badge_replace(badge_request=approved, by=officer)
        raise RuntimeError("the caller's transaction failed")
    assert mail.outbox == []
    assert badge_active(badge_request=approved).code == approved.badges.get().code


def test_the_admin_action_emails_each_new_code(
    officer_client, approved, django_capture_on_commit_callbacks
):
    badge = badge_active(badge_request=approved)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            "/admin/badges/badge/", {"action": "replace_code", "_selected_action": [badge.pk]}
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    (part,) = inline_parts(message)
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(part.get_content())))
    assert result.text == badge_active(badge_request=approved).code != badge.code
