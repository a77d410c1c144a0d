"""press.core.emails: the MJML pipeline every email goes through."""

import pytest
from django.core import mail

from press.core.emails import (
    PersonalTemplate,
    email_compile,
    mjml_compilations,
    mjml_compile,
    send_email,
)

pytestmark = pytest.mark.django_db

INVITATION = {
    "subject": "Invitation presse",
    "message": "Venez <couvrir> la conférence.",
    "greeting": "Bonjour Léa,",
    "invitation_url": "https://presse.example/fr/accreditation/?invitation=abc",
    "unsubscribe_url": "https://presse.example/fr/mailings/unsubscribe/abc/",
}


def test_send_email_renders_html_and_text_and_returns_the_message_id(event):
    before = mjml_compilations()

    message_id = send_email(
        template="mailing_invitation",
        to="lea@media.example",
        language="fr",
        event=event,
        context=INVITATION,
        attachments=[("invitation.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
        reply_to=["press@event.example"],
        tags=["accreditation"],
    )

    assert message_id == "0"
    assert mjml_compilations() - before == 1
    (message,) = mail.outbox
    assert message.subject == "Invitation presse"
    assert message.to == ["lea@media.example"]
    assert message.reply_to == ["press@event.example"]
    assert message.tags == ["accreditation"]
    assert message.attachments[0].filename == "invitation.ics"
    assert message.attachments[0].mimetype == "text/calendar"
    assert message.body.startswith("Bonjour Léa,\n\nVenez <couvrir> la conférence.\n")
    assert "https://presse.example/fr/accreditation/?invitation=abc" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html.startswith("<!doctype html>")
    assert "Venez &lt;couvrir&gt; la conférence." in html
    assert f"Conférence {event.slug}" in html
    assert "press@event.example" in html


def test_send_email_takes_the_subject_from_the_text_block(event, settings, tmp_path):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "probe.mjml").write_text(
        '{% extends "emails/base.mjml" %}{% block content %}'
        "<mj-text>{{ name }}</mj-text>{% endblock %}"
    )
    (tmp_path / "emails" / "probe.txt").write_text(
        '{% extends "emails/base.txt" %}{% load i18n %}'
        "{% block subject %}\n  {% translate 'Press office' %}:\n {{ name }} {% endblock %}"
        "{% block body %}Body for {{ name }}{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    send_email(
        template="probe", to="a@b.example", language="en", event=event, context={"name": "R&D"}
    )

    (message,) = mail.outbox
    assert message.subject == "Press office: R&D"
    assert message.body.startswith("Body for R&D\n\n-- \nPress office · Conference ")
    assert "<div" in message.alternatives[0].content
    assert "R&amp;D" in message.alternatives[0].content


def test_mjml_compile_refuses_invalid_mjml():
    with pytest.raises(ValueError):
        mjml_compile("<mjml><mj-body><mj-section>")


def test_personal_template_escapes_values_in_html_only():
    html = PersonalTemplate("<p>[[presse:n1:greeting]]</p>", "n1", html=True)
    text = PersonalTemplate("[[presse:n1:greeting]]!", "n1", html=False)

    assert html.render({"greeting": "Tom & <Jerry>"}) == "<p>Tom &amp; &lt;Jerry&gt;</p>"
    assert text.render({"greeting": "Tom & <Jerry>"}) == "Tom & <Jerry>!"


def test_email_compile_ignores_placeholders_typed_in_content(event):
    context = {**INVITATION, "message": "[[presse:0000:unsubscribe_url]] {{ greeting }}"}

    compiled = email_compile(
        template="mailing_invitation", language="en", event=event, context=context
    )
    text = compiled.text.render(
        {"greeting": "Hi Léa,", "unsubscribe_url": "https://x.example/u/", "invitation_url": ""}
    )

    assert "[[presse:0000:unsubscribe_url]] {{ greeting }}" in text
    assert text.startswith("Hi Léa,\n")
    assert "Your choices or unsubscribe: https://x.example/u/" in text


def test_send_email_without_an_event_shows_the_press_office_alone(event):
    send_email(
        template="mailing_invitation",
        to="a@b.example",
        language="en",
        event=None,
        context=INVITATION,
    )

    (message,) = mail.outbox
    assert event.slug not in message.alternatives[0].content
    assert "Press office" in message.alternatives[0].content
