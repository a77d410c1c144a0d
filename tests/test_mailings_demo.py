import io

import pytest
from django.core import mail
from django.core.management import call_command

from press.mailings.enums import MailingKind, MailingState
from press.mailings.models import Delivery, Mailing

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_sent_mailing_and_a_draft_invitation_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    sent = Mailing.objects.get(kind=MailingKind.RELEASE)
    invitation = Mailing.objects.get(kind=MailingKind.INVITATION)
    assert sent.state == MailingState.SENT
    assert invitation.state == MailingState.DRAFT
    states = set(Delivery.objects.filter(mailing=sent).values_list("state", flat=True))
    assert states == {"sent", "delivered", "opened", "clicked", "bounced", "unsubscribed", "failed"}
    assert sent.recipient_count == Delivery.objects.filter(mailing=sent).count() > 10
    bounced = Delivery.objects.filter(mailing=sent, state="bounced").select_related("journalist")
    assert all(delivery.journalist.suppression_reason == "bounced" for delivery in bounced)
    assert mail.outbox == []
