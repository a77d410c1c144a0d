"""A mailing through Django's SMTP backend to a local aiosmtpd server run by the test:
one connection for the run, UTF-8 subject and sender name intact, the List-Unsubscribe
headers as received."""

import pytest
from django.utils import translation

from press.mailings.sending import mailing_send
from tests.factories import ContactListFactory, JournalistFactory
from tests.factories.mailings import MailingFactory, bilingual_release
from tests.processes import SmtpLog, smtp_server

pytestmark = pytest.mark.django_db


def test_a_mailing_reaches_a_real_smtp_server_intact(settings, event):
    log = SmtpLog()
    controller, port = smtp_server(log)
    settings.MAILINGS_SEND_CONCURRENCY = 1
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 30},
        }
    }
    contact_list = ContactListFactory()
    for number in range(60):
        JournalistFactory(
            language="fr", first_name="Zoë", last_name=f"Łukasiewicz-Ğündoğdu {number}"
        ).lists.add(contact_list)
    mailing = MailingFactory(
        lists=[contact_list],
        release=bilingual_release(event=event),  # the mailing's event is its release's
        subject={"fr": "Réseau européen : sécurité"},
        sender_name="Service de presse — Bruxelles",
    )
    try:
        with translation.override("en"):
            report = mailing_send(mailing=mailing)
    finally:
        controller.stop()

    assert report.sent == 60
    assert len(log.messages) == 60
    assert log.helos == 1  # one connection for both claims of the run
    message = log.messages[0]
    delivery = mailing.deliveries.get(email=message["To"].addresses[0].addr_spec)
    assert str(message["Subject"]) == "Réseau européen : sécurité"
    assert message["From"].addresses[0].display_name == "Service de presse — Bruxelles"
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"])
    assert f"/fr/mailings/unsubscribe/{delivery.unsubscribe_token}/>" in unsubscribe
    mailto = f"<mailto:press@event.example?subject=unsubscribe%20{delivery.unsubscribe_token}>"
    assert mailto in unsubscribe
