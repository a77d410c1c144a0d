"""Accreditation emails are kept like a mailing's deliveries: sent once, their provider
message id recorded, their bounces and complaints matched to the journalist."""

import pytest
from django.core import mail

from contacts.enums import SuppressionReason
from press.accreditation.decisions import accreditation_approve
from press.accreditation.enums import EmailState
from press.accreditation.models import BadgeRequestEmail
from press.accreditation.tasks import badge_request_email
from tests.factories import JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.postmark import bounced, post_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postmark_secret")]


def hard_bounce(message_id, metadata=None):
    return bounced(
        message_id, metadata=metadata, email="gone@media.example", at="2027-03-01T10:00:00Z"
    )


@pytest.fixture
def approved(event, officer, django_capture_on_commit_callbacks):
    journalist = JournalistFactory(email="gone@media.example")
    badge_request = BadgeRequestFactory(event=event, journalist=journalist, email=journalist.email)
    with django_capture_on_commit_callbacks(execute=True):
        accreditation_approve(badge_request=badge_request, by=officer)
    return badge_request


def test_approval_email_records_the_provider_message_id(approved):
    email = BadgeRequestEmail.objects.get(badge_request=approved)
    (message,) = mail.outbox

    assert email.template == "accreditation_approved"
    assert email.state == EmailState.SENT
    assert email.sent_at is not None
    assert email.message_id == str(message.anymail_status.message_id)
    assert message.metadata == {"badge_request_email": str(email.pk)}


def test_a_bounce_on_the_approval_email_marks_that_email_bounced(client, approved):
    email = BadgeRequestEmail.objects.get(badge_request=approved)

    response = post_event(client, hard_bounce(email.message_id))

    assert response.status_code == 200
    email.refresh_from_db()
    assert email.state == EmailState.BOUNCED
    assert email.bounced_at is not None
    approved.journalist.refresh_from_db()
    assert approved.journalist.suppression_reason == SuppressionReason.BOUNCED


def test_an_event_before_the_message_id_is_stored_is_matched_by_metadata(client, event):
    badge_request = BadgeRequestFactory(event=event)
    email = BadgeRequestEmail.objects.create(
        badge_request=badge_request, template="accreditation_received", to=badge_request.email
    )

    post_event(client, hard_bounce("early-id", {"badge_request_email": str(email.pk)}))

    email.refresh_from_db()
    assert (email.state, email.message_id) == (EmailState.BOUNCED, "early-id")


def test_an_email_task_run_twice_sends_once(approved):
    email = BadgeRequestEmail.objects.get(badge_request=approved)

    again = badge_request_email.call(email.pk)

    assert again is False
    assert len(mail.outbox) == 1


def test_a_refused_email_is_marked_failed_and_not_retried(event, monkeypatch):
    badge_request = BadgeRequestFactory(event=event)
    email = BadgeRequestEmail.objects.create(
        badge_request=badge_request, template="accreditation_received", to=badge_request.email
    )

    def refuse(**kwargs):
        raise ConnectionError("provider down")

    monkeypatch.setattr("press.accreditation.emails.send_email", refuse)

    assert badge_request_email.call(email.pk) is False
    email.refresh_from_db()
    assert email.state == EmailState.FAILED
    assert "provider down" in email.error
    assert badge_request_email.call(email.pk) is False
