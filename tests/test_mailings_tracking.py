"""Provider events through anymail's Postmark tracking webhook, with Postmark's
documented payloads."""

import base64
import datetime as dt
import json

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.core import mail
from django.test import Client
from django.utils import translation

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_erase, journalist_export_personal_data
from press.mailings.enums import DeliveryState
from press.mailings.sending import mailing_send
from tests.factories import ContactListFactory, JournalistFactory
from tests.factories.mailings import DeliveryFactory, MailingFactory
from tests.postmark import SECRET, URL, post_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postmark_secret")]

MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483"
DELIVERED_AT = dt.datetime(2019, 11, 5, 16, 33, 54, 907025, tzinfo=dt.UTC)


def auth(credentials=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def delivery_event(message_id=MESSAGE_ID):
    return {
        "MessageID": message_id,
        "Recipient": "john@example.com",
        "DeliveredAt": "2019-11-05T16:33:54.9070259Z",
        "Details": "Test delivery webhook details",
        "Tag": "welcome-email",
        "ServerID": 23,
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "RecordType": "Delivery",
        "MessageStream": "outbound",
    }


def open_event():
    return {
        "RecordType": "Open",
        "MessageStream": "outbound",
        "FirstOpen": True,
        "Client": {"Name": "Chrome 35.0.1916.153", "Company": "Google", "Family": "Chrome"},
        "OS": {"Name": "OS X 10.7 Lion", "Company": "Apple Computer, Inc.", "Family": "OS X 10"},
        "Platform": "WebMail",
        "UserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5)",
        "ReadSeconds": 5,
        "Geo": {"CountryISOCode": "RS", "Country": "Serbia", "City": "Novi Sad"},
        "MessageID": MESSAGE_ID,
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ReceivedAt": "2019-11-05T16:40:54.9070259Z",
        "Tag": "welcome-email",
        "Recipient": "john@example.com",
    }


def click_event():
    return {
        "RecordType": "Click",
        "MessageStream": "outbound",
        "ClickLocation": "HTML",
        "Client": {"Name": "Chrome 35.0.1916.153", "Company": "Google", "Family": "Chrome"},
        "OS": {"Name": "OS X 10.7 Lion", "Company": "Apple Computer, Inc.", "Family": "OS X 10"},
        "Platform": "Desktop",
        "UserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5)",
        "OriginalLink": "https://example.com",
        "Geo": {"CountryISOCode": "RS", "Country": "Serbia", "City": "Novi Sad"},
        "MessageID": MESSAGE_ID,
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ReceivedAt": "2019-11-05T16:50:11.0000000Z",
        "Tag": "welcome-email",
        "Recipient": "john@example.com",
    }


def bounce_event(kind="HardBounce"):
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "Test",
        "MessageID": MESSAGE_ID,
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ServerID": 23,
        "Description": (
            "The server was unable to deliver your message (ex: unknown user, mailbox not found)."
        ),
        "Details": "Test bounce details",
        "Email": "john@example.com",
        "From": "sender@example.com",
        "BouncedAt": "2019-11-05T16:35:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Test subject",
        "Content": "<Full dump of bounce>",
    }


def spam_complaint_event():
    return {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "Test",
        "MessageID": MESSAGE_ID,
        "Metadata": {"a_key": "a_value", "b_key": "b_value"},
        "ServerID": 1234,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": "john@example.com",
        "From": "sender@example.com",
        "BouncedAt": "2019-11-05T17:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "Test subject",
        "Content": "<Abuse report dump>",
    }


def subscription_change_event():
    return {
        "RecordType": "SubscriptionChange",
        "MessageID": MESSAGE_ID,
        "ServerID": 123456,
        "MessageStream": "outbound",
        "ChangedAt": "2020-02-01T10:53:34.416071Z",
        "Recipient": "john@example.com",
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Tag": "my-tag",
        "Metadata": {"example": "value"},
    }


@pytest.fixture
def delivery(event):
    return DeliveryFactory(message_id=MESSAGE_ID, mailing__event=event)


def test_webhook_marks_a_delivery_delivered(client, delivery):
    response = post_event(client, delivery_event())

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.delivered_at.isoformat() == "2019-11-05T16:33:54.907025+00:00"


def test_webhook_follows_open_then_click(client, delivery):
    for payload in (delivery_event(), open_event(), click_event()):
        assert post_event(client, payload).status_code == 200

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.CLICKED
    assert delivery.opened_at.isoformat() == "2019-11-05T16:40:54.907025+00:00"
    assert delivery.clicked_at.isoformat() == "2019-11-05T16:50:11+00:00"


def test_webhook_late_or_repeated_events_never_move_a_delivery_back(client, delivery):
    for payload in (click_event(), open_event(), delivery_event(), click_event()):
        assert post_event(client, payload).status_code == 200

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.CLICKED
    assert delivery.delivered_at.isoformat() == "2019-11-05T16:33:54.907025+00:00"
    assert delivery.opened_at.isoformat() == "2019-11-05T16:40:54.907025+00:00"


def test_webhook_hard_bounce_suppresses_the_journalist(client, delivery):
    response = post_event(client, bounce_event())

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.BOUNCED
    assert delivery.error.startswith("The server was unable to deliver your message")
    journalist = delivery.journalist
    journalist.refresh_from_db()
    assert journalist.suppression_reason == SuppressionReason.BOUNCED
    assert journalist.suppressed_at.isoformat() == "2019-11-05T16:35:54.907025+00:00"


def test_webhook_soft_bounce_keeps_the_journalist_mailable(client, delivery):
    post_event(client, bounce_event("SoftBounce"))

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.BOUNCED
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is None


def test_webhook_spam_complaint_suppresses_the_journalist(client, delivery):
    post_event(client, delivery_event())
    post_event(client, spam_complaint_event())

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.COMPLAINED
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppression_reason == SuppressionReason.COMPLAINED


def test_webhook_unsubscription_suppresses_the_journalist(client, delivery):
    post_event(client, subscription_change_event())

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNSUBSCRIBED
    assert delivery.unsubscribed_at.isoformat() == "2020-02-01T10:53:34.416071+00:00"
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppression_reason == SuppressionReason.UNSUBSCRIBED


def test_webhook_ignores_an_unknown_message(client, delivery):
    response = post_event(client, delivery_event(message_id="someone-elses-message"))

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


class EarlyEventBackend(AnymailTestBackend):
    """anymail's test backend whose provider reports "delivered" before the sending
    batch has stored the message ids, as a fast provider can."""

    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        for message in email_messages:
            payload = delivery_event(str(mail.outbox.index(message)))
            payload["Metadata"] = message.metadata
            assert post_event(Client(), payload).status_code == 200
        return sent


def test_webhook_event_before_the_batch_is_recorded_is_kept(event, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mailings_tracking.EarlyEventBackend"}}
    contact_list = ContactListFactory()
    journalists = [JournalistFactory(language="fr") for _ in range(3)]
    for journalist in journalists:
        journalist.lists.add(contact_list)
    mailing = MailingFactory(lists=[contact_list], event=event)

    mailing_send(mailing=mailing, batch_size=2)

    assert list(
        mailing.deliveries.order_by("pk").values_list("state", "message_id", "delivered_at")
    ) == [(DeliveryState.DELIVERED, str(index), DELIVERED_AT) for index in range(3)]


def test_webhook_event_settles_a_delivery_left_in_doubt_by_a_killed_worker(client, event):
    interrupted = DeliveryFactory(mailing__event=event, state=DeliveryState.IN_DOUBT, message_id="")
    payload = delivery_event("provider-id-1")
    payload["Metadata"] = {"mailing": str(interrupted.mailing.pk), "delivery": str(interrupted.pk)}

    assert post_event(client, payload).status_code == 200

    interrupted.refresh_from_db()
    assert (interrupted.state, interrupted.message_id, interrupted.delivered_at) == (
        DeliveryState.DELIVERED,
        "provider-id-1",
        DELIVERED_AT,
    )


def test_webhook_metadata_never_takes_over_a_delivery_with_a_message_id(client, delivery):
    other = DeliveryFactory(mailing=delivery.mailing, message_id="another-message")
    payload = delivery_event("unknown-message")
    payload["Metadata"] = {"mailing": str(delivery.mailing.pk), "delivery": str(other.pk)}

    assert post_event(client, payload).status_code == 200

    other.refresh_from_db()
    assert (other.state, other.message_id) == (DeliveryState.SENT, "another-message")


def test_webhook_is_refused_without_a_configured_secret(client, delivery, settings):
    settings.ANYMAIL = {}

    response = post_event(client, bounce_event())

    assert response.status_code == 403
    assert response.content == b"Webhooks are disabled: set ANYMAIL_WEBHOOK_SECRET."
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is None


@pytest.mark.parametrize("credentials", ["postmark:guess", "intruder:s3cret-hook"])
def test_webhook_is_refused_with_wrong_credentials(client, delivery, credentials):
    response = post_event(client, bounce_event(), credentials=credentials)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Presse provider webhooks", charset="UTF-8"'
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


@pytest.mark.parametrize("header", [None, "Bearer abc", "Basic !!!not-base64"])
def test_webhook_is_refused_without_credentials(client, delivery, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        URL, data=json.dumps(bounce_event()), content_type="application/json", **extra
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


@pytest.mark.parametrize(
    "body",
    [
        b"this is not json",
        b"",
        b"[1, 2, 3]",
        b'"a string"',
        b'{"RecordType": "Bounce", "MessageID": "' + MESSAGE_ID.encode() + b'", "BouncedAt": 7}',
    ],
    ids=["not-json", "empty", "a-list", "a-string", "wrong-field-types"],
)
def test_webhook_with_a_malformed_body_is_400_and_changes_nothing(client, delivery, body):
    response = client.post(URL, data=body, content_type="application/json", **auth())

    assert response.status_code == 400
    assert response.content == b"The body is not a webhook call this endpoint understands."
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is None


def _database_down(execute, sql, params, many, context):
    from django.db import OperationalError

    raise OperationalError("server closed the connection unexpectedly")


def test_webhook_while_the_database_is_down_is_503_then_the_retry_applies_once(client, delivery):
    from django.db import connection

    with connection.execute_wrapper(_database_down):
        down = post_event(client, bounce_event())

    assert down.status_code == 503
    assert down["Retry-After"] == "60"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT

    retried = post_event(client, bounce_event())
    delivery.refresh_from_db()
    bounced_at = delivery.bounced_at
    again = post_event(client, bounce_event())

    assert (retried.status_code, again.status_code) == (200, 200)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.BOUNCED
    assert delivery.bounced_at == bounced_at is not None
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is not None
    assert delivery.journalist.suppression_reason == SuppressionReason.BOUNCED


def test_erasure_anonymises_deliveries(delivery, officer):
    journalist = delivery.journalist

    journalist_erase(journalist=journalist, by=officer)

    delivery.refresh_from_db()
    assert delivery.email == f"erased-{journalist.pk}@erased.invalid"
    assert delivery.name == ""
    assert delivery.state == DeliveryState.SENT


def test_personal_data_export_lists_the_mailings_received(delivery):
    with translation.override("en"):
        data = journalist_export_personal_data(journalist=delivery.journalist)

    (row,) = data["mailings"]
    assert row["email"] == delivery.email
    assert row["state"] == "sent"
    assert row["mailing"] == "Cities commit"


def test_personal_data_export_of_a_journalist_never_mailed(db):
    journalist = JournalistFactory()

    data = journalist_export_personal_data(journalist=journalist)

    assert data["mailings"] == []
