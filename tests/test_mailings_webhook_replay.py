"""Recorded tracking calls of every provider the README names, replayed through the real
webhook endpoint for a mailing that was really sent: in order, twice, reversed and
shuffled, they all end in the same deliveries, suppressions and report counts.

The payloads are in tests/fixtures/webhooks/<provider>/, in each provider's documented
format (the one anymail's parsers read), with the sent mailing's message ids, addresses
and metadata filled in. Every call carries the basic-auth secret; Mailgun's calls are
also signed with the signing key set here. Amazon SES events come wrapped in SNS
notifications with SNS's headers; their SNS signature is NOT checked, by anymail or by
us (anymail leaves it as future work, and checking it needs Amazon's certificate from
the network): what protects that endpoint is the basic-auth secret, which this test
proves is required.
"""

import base64
import hashlib
import hmac
import json
import random
import uuid
from itertools import count
from pathlib import Path
from string import Template

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.test import Client

from contacts.enums import SuppressionReason
from contacts.models import Journalist
from press.mailings.enums import DeliveryState
from press.mailings.models import Delivery
from press.mailings.report import mailing_totals
from press.mailings.sending import mailing_send
from tests.factories import ContactListFactory, JournalistFactory
from tests.factories.mailings import MailingFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "webhooks"
SECRET = "presse:replay-5ecret-for-webhooks"
MAILGUN_SIGNING_KEY = "key-replay-signing-0123456789abcdef"
PROVIDERS = ("postmark", "brevo", "mailgun", "amazon_ses", "sendgrid")

# What each recipient of the mailing does, in the order the provider reports it.
STORIES = (
    ("delivered",),
    ("delivered", "opened"),
    ("delivered", "opened", "clicked"),
    ("bounced",),
    ("delivered", "complaint"),
)
_serial = count(1)


def provider_message_id(provider: str) -> str:
    """A message id in the shape the provider's API returns on sending."""
    n = next(_serial)
    return {
        "postmark": str(uuid.uuid4()),
        "brevo": f"<2024112409011{n:02d}.{uuid.uuid4().int % 10**11}@smtp-relay.mailin.fr>",
        "mailgun": f"<20241124090111.{n}.{uuid.uuid4().hex[:12].upper()}@mg.presse.example>",
        "amazon_ses": f"0102019358{uuid.uuid4().hex[:6]}-{uuid.uuid4()}-000000",
        "sendgrid": str(uuid.uuid4()),
    }[ProviderBackend.provider]


class ProviderBackend(AnymailTestBackend):
    """anymail's test backend answering with the provider's kind of message id."""

    provider = "postmark"

    def get_esp_message_id(self, message):
        return provider_message_id(self.provider)


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.ProviderBackend"}}


def sent_mailing(provider: str):
    """A release mailing really sent to one journalist per story."""
    ProviderBackend.provider = provider
    contact_list = ContactListFactory()
    for _story in STORIES:
        JournalistFactory().lists.add(contact_list)
    mailing = MailingFactory(lists=[contact_list])
    mailing_send(mailing=mailing)
    deliveries = list(mailing.deliveries.order_by("pk"))
    assert [d.state for d in deliveries] == [DeliveryState.SENT] * len(STORIES)
    assert all(d.message_id for d in deliveries)
    return mailing, deliveries


def signed_mailgun(body: str) -> str:
    token = uuid.uuid4().hex
    timestamp = "1732438872"
    signature = hmac.new(
        MAILGUN_SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return Template(body).substitute(timestamp=timestamp, token=token, signature=signature)


def recorded_call(provider: str, name: str, delivery: Delivery) -> tuple[str, dict]:
    """The body and headers of one recorded call, for this delivery."""
    template = Template((FIXTURES / provider / f"{name}.json").read_text())
    body = template.safe_substitute(
        message_id=delivery.message_id,
        message_id_bare=delivery.message_id.strip("<>"),
        email=delivery.email,
        mailing=delivery.mailing_id,
        delivery=delivery.pk,
    )
    headers = {
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode(),
    }
    if provider == "mailgun":
        body = signed_mailgun(body)
    if provider == "amazon_ses":
        sns = json.loads(body)
        headers["HTTP_X_AMZ_SNS_MESSAGE_TYPE"] = sns["Type"]
        headers["HTTP_X_AMZ_SNS_MESSAGE_ID"] = sns["MessageId"]
    return body, headers


def calls_in_order(provider: str, deliveries: list[Delivery]) -> list[tuple[str, dict]]:
    """Every recipient's story in turn, as the provider would send it."""
    return [
        recorded_call(provider, name, delivery)
        for delivery, story in zip(deliveries, STORIES, strict=True)
        for name in story
    ]


SCENARIOS = {
    "in order": lambda calls: calls,
    "twice": lambda calls: calls + calls,
    "each call twice": lambda calls: [call for call in calls for _ in range(2)],
    "reversed": lambda calls: calls[::-1],
    "shuffled": lambda calls: random.Random(16).sample(calls, len(calls)),
}


def replay(provider: str, calls: list[tuple[str, dict]]) -> None:
    client = Client()
    url = f"/anymail/{provider}/tracking/"
    for body, headers in calls:
        response = client.post(url, data=body, content_type="application/json", **headers)
        assert response.status_code == 200, (response.status_code, response.content)


def final_state(mailing, deliveries: list[Delivery]) -> dict:
    """What the office sees afterwards, independent of row ids."""
    rows = []
    for delivery in deliveries:
        delivery.refresh_from_db()
        journalist = Journalist.objects.get(pk=delivery.journalist_id)
        rows.append(
            {
                "state": delivery.state,
                "message_id_kept": delivery.message_id == delivery._original_message_id,
                "delivered_at": delivery.delivered_at,
                "opened_at": delivery.opened_at,
                "clicked_at": delivery.clicked_at,
                "bounced_at": delivery.bounced_at,
                "complained_at": delivery.complained_at,
                "error": delivery.error.replace(delivery.email, "${email}"),
                "suppressed": (journalist.suppression_reason, journalist.suppressed_at),
            }
        )
    return {"deliveries": rows, "totals": mailing_totals(mailing=mailing)["overall"]["counts"]}


def _replayed(provider: str, scenario: str) -> dict:
    mailing, deliveries = sent_mailing(provider)
    for delivery in deliveries:
        delivery._original_message_id = delivery.message_id
    replay(provider, SCENARIOS[scenario](calls_in_order(provider, deliveries)))
    return final_state(mailing, deliveries)


@pytest.mark.filterwarnings("ignore:django-anymail has dropped official support for SendGrid")
@pytest.mark.parametrize("provider", PROVIDERS)
def test_recorded_calls_end_in_the_same_state_in_any_order(provider):
    expected = _replayed(provider, "in order")

    assert [row["state"] for row in expected["deliveries"]] == [
        DeliveryState.DELIVERED,
        DeliveryState.OPENED,
        DeliveryState.CLICKED,
        DeliveryState.BOUNCED,
        DeliveryState.COMPLAINED,
    ]
    assert all(row["message_id_kept"] for row in expected["deliveries"])
    assert [row["suppressed"][0] for row in expected["deliveries"]] == [
        "",
        "",
        "",
        SuppressionReason.BOUNCED,
        SuppressionReason.COMPLAINED,
    ]
    bounced, complained = expected["deliveries"][3], expected["deliveries"][4]
    # The receiving server's "250 OK" is no error; the bounce's reason is.
    assert [row["error"] for row in expected["deliveries"][:3]] == ["", "", ""]
    assert bounced["error"] != ""
    # Suppressed as of the provider's time of the event, not the time it arrived.
    assert bounced["suppressed"][1] == bounced["bounced_at"] is not None
    assert complained["suppressed"][1] == complained["complained_at"] is not None
    assert expected["totals"] == {
        "recipients": 5,
        "sent": 5,
        "delivered": 4,
        "opened": 2,
        "clicked": 1,
        "bounced": 1,
        "complained": 1,
        "unsubscribed": 0,
        "failed": 0,
        "in_doubt": 0,
        "not_sent": 0,
    }

    for scenario in ("twice", "each call twice", "reversed", "shuffled"):
        replayed = _replayed(provider, scenario)
        for story, row, expected_row in zip(
            STORIES, replayed["deliveries"], expected["deliveries"], strict=True
        ):
            assert row == expected_row, (scenario, story)
        assert replayed["totals"] == expected["totals"], scenario


@pytest.mark.filterwarnings("ignore:django-anymail has dropped official support for SendGrid")
@pytest.mark.parametrize("provider", PROVIDERS)
def test_recorded_call_without_the_secret_changes_nothing(provider):
    mailing, deliveries = sent_mailing(provider)
    body, headers = recorded_call(provider, "bounced", deliveries[3])
    del headers["HTTP_AUTHORIZATION"]

    response = Client().post(
        f"/anymail/{provider}/tracking/", data=body, content_type="application/json", **headers
    )

    assert response.status_code == 401
    deliveries[3].refresh_from_db()
    assert deliveries[3].state == DeliveryState.SENT
    assert Journalist.objects.filter(suppressed_at__isnull=False).count() == 0


def test_mailgun_call_with_a_wrong_signature_changes_nothing():
    mailing, deliveries = sent_mailing("mailgun")
    body, headers = recorded_call("mailgun", "bounced", deliveries[3])
    forged = json.loads(body)
    forged["signature"]["signature"] = "0" * 64

    response = Client().post(
        "/anymail/mailgun/tracking/",
        data=json.dumps(forged),
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 401
    deliveries[3].refresh_from_db()
    assert deliveries[3].state == DeliveryState.SENT
    assert Journalist.objects.filter(suppressed_at__isnull=False).count() == 0
