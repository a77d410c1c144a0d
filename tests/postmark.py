"""Postmark's tracking webhook as the tests drive it: the endpoint, its basic-auth
secret (set by the `postmark_secret` fixture of conftest.py), and event payloads in
the shape of Postmark's documentation."""

import base64
import json

URL = "/anymail/postmark/tracking/"
SECRET = "postmark:s3cret-hook"


def post_event(client, payload, credentials: str = SECRET):
    return client.post(
        URL,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(credentials.encode()).decode(),
    )


def delivered(message_id, metadata=None, email="reporter@media.example"):
    return {
        "RecordType": "Delivery",
        "MessageID": message_id,
        "Recipient": email,
        "DeliveredAt": "2024-03-25T09:00:00Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": metadata or {},
        "ServerID": 23,
        "MessageStream": "outbound",
    }


def opened(message_id, email="reporter@media.example"):
    return {
        "RecordType": "Open",
        "MessageStream": "outbound",
        "FirstOpen": True,
        "MessageID": message_id,
        "Metadata": {},
        "ReceivedAt": "2024-03-25T10:30:00Z",
        "Recipient": email,
    }


def bounced(
    message_id,
    kind="HardBounce",
    metadata=None,
    email="reporter@media.example",
    at="2024-03-25T09:05:00Z",
):
    return {
        "RecordType": "Bounce",
        "ID": 42,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "MessageID": message_id,
        "Metadata": metadata or {},
        "Description": "The server was unable to deliver your message (unknown user).",
        "Details": "smtp;550 5.1.1 unknown user",
        "Email": email,
        "BouncedAt": at,
        "Inactive": True,
    }


def complaint(message_id, email="reporter@media.example"):
    return {
        "RecordType": "SpamComplaint",
        "ID": 43,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "MessageID": message_id,
        "Metadata": {},
        "Description": "",
        "Email": email,
        "BouncedAt": "2024-03-25T11:00:00Z",
        "Inactive": True,
    }
