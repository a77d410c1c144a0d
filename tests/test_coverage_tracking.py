""" "Share your coverage" emails are followed like a mailing's deliveries: the
provider's events (delivered, opened, bounced, marked as spam) reach their invitation
through the shared event routing, and a hard bounce stops all mail to the address."""

import pytest
from django.core import mail

from contacts.enums import SuppressionReason
from press.accreditation.enums import BadgeRequestState
from press.coverage.enums import InvitationState
from press.coverage.models import CoverageInvitation
from press.coverage.outreach import coverage_invitations_prepare
from press.mailings.enums import DeliveryState
from tests.factories import JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.coverage import CoverageInvitationFactory
from tests.factories.mailings import DeliveryFactory
from tests.postmark import bounced, complaint, delivered, opened, post_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postmark_secret")]


@pytest.fixture
def sent(event, officer, django_capture_on_commit_callbacks):
    """An invitation sent to an accredited journalist, with its provider message id."""
    journalist = JournalistFactory(email="reporter@media.example", language="fr")
    BadgeRequestFactory(
        event=event,
        journalist=journalist,
        email=journalist.email,
        state=BadgeRequestState.APPROVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = coverage_invitations_prepare(event=event, by=officer)
    invitation.refresh_from_db()
    return invitation


def test_sending_records_the_message_id_and_the_metadata_that_comes_back(sent):
    (message,) = mail.outbox
    assert sent.state == InvitationState.SENT
    assert sent.message_id == str(message.anymail_status.message_id)
    assert message.metadata == {"coverage_invitation": str(sent.pk)}


def test_delivered_then_opened_moves_the_invitation_on(client, sent):
    assert post_event(client, delivered(sent.message_id)).status_code == 200
    sent.refresh_from_db()
    assert sent.state == InvitationState.DELIVERED
    assert sent.delivered_at.isoformat() == "2024-03-25T09:00:00+00:00"

    assert post_event(client, opened(sent.message_id)).status_code == 200
    sent.refresh_from_db()
    assert sent.state == InvitationState.OPENED
    assert sent.opened_at.isoformat() == "2024-03-25T10:30:00+00:00"


def test_a_late_or_repeated_event_never_moves_it_back(client, sent):
    for payload in (opened(sent.message_id), delivered(sent.message_id), opened(sent.message_id)):
        assert post_event(client, payload).status_code == 200
    sent.refresh_from_db()
    assert sent.state == InvitationState.OPENED
    assert sent.delivered_at.isoformat() == "2024-03-25T09:00:00+00:00"
    assert sent.opened_at.isoformat() == "2024-03-25T10:30:00+00:00"


def test_a_hard_bounce_suppresses_the_address_as_a_mailing_does(client, sent):
    assert post_event(client, bounced(sent.message_id)).status_code == 200

    sent.refresh_from_db()
    assert sent.state == InvitationState.BOUNCED
    assert sent.bounced_at.isoformat() == "2024-03-25T09:05:00+00:00"
    assert "unknown user" in sent.error
    journalist = sent.journalist
    journalist.refresh_from_db()
    assert journalist.suppression_reason == SuppressionReason.BOUNCED
    assert journalist.suppressed_at is not None


def test_a_soft_bounce_is_recorded_but_suppresses_nobody(client, sent):
    assert post_event(client, bounced(sent.message_id, kind="SoftBounce")).status_code == 200

    sent.refresh_from_db()
    assert sent.state == InvitationState.BOUNCED
    sent.journalist.refresh_from_db()
    assert sent.journalist.suppressed_at is None


def test_a_complaint_suppresses_the_address(client, sent):
    assert post_event(client, complaint(sent.message_id)).status_code == 200

    sent.refresh_from_db()
    assert sent.state == InvitationState.COMPLAINED
    sent.journalist.refresh_from_db()
    assert sent.journalist.suppression_reason == SuppressionReason.COMPLAINED


def test_a_suppressed_journalist_is_not_asked_for_coverage_at_the_next_event(
    client, sent, officer, django_capture_on_commit_callbacks
):
    post_event(client, bounced(sent.message_id))
    BadgeRequestFactory(
        journalist=sent.journalist,
        email=sent.journalist.email,
        state=BadgeRequestState.APPROVED,
    )
    next_event = sent.journalist.badge_requests.exclude(event=sent.event).get().event
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert coverage_invitations_prepare(event=next_event, by=officer) == []
    assert mail.outbox == []


def test_an_event_before_the_message_id_is_stored_is_matched_by_metadata(client, event):
    invitation = CoverageInvitationFactory(event=event, state=InvitationState.SENDING)

    post_event(client, delivered("early-id", {"coverage_invitation": str(invitation.pk)}))

    invitation.refresh_from_db()
    assert (invitation.state, invitation.message_id) == (InvitationState.DELIVERED, "early-id")


def test_metadata_cannot_redirect_an_event_to_an_invitation_with_another_message_id(client, event):
    invitation = CoverageInvitationFactory(
        event=event, state=InvitationState.SENT, message_id="its-own-id"
    )

    post_event(
        client, bounced("someone-else", metadata={"coverage_invitation": str(invitation.pk)})
    )

    invitation.refresh_from_db()
    assert (invitation.state, invitation.message_id) == (InvitationState.SENT, "its-own-id")
    invitation.journalist.refresh_from_db()
    assert invitation.journalist.suppressed_at is None


def test_a_mailing_event_still_reaches_its_delivery_and_no_invitation(client, sent):
    delivery = DeliveryFactory(message_id="mailing-message", mailing__event=sent.event)

    post_event(client, delivered("mailing-message"))

    delivery.refresh_from_db()
    sent.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert sent.state == InvitationState.SENT


def test_an_early_event_is_kept_when_the_send_finishes(event, monkeypatch):
    """The provider's delivery event can beat the sending's own bookkeeping: the
    invitation stays delivered instead of falling back to sent."""
    invitation = CoverageInvitationFactory(event=event)
    from press.coverage import invitations

    real_send = invitations.send_email

    def send_then_event(**kwargs):
        message_id = real_send(**kwargs)
        CoverageInvitation.objects.filter(pk=invitation.pk).update(state=InvitationState.DELIVERED)
        return message_id

    monkeypatch.setattr(invitations, "send_email", send_then_event)

    assert invitations.coverage_invitation_send(invitation=invitation) is True
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DELIVERED
    assert invitation.message_id
