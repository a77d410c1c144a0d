"""Journey 5: a journalist subscribes in the newsroom, confirms from the email, then
changes their choices from a release email's personal link."""

import re

import pytest
from django.core import mail

from contacts.models import Journalist
from press.releases.models import Topic
from tests.browser.conftest import axe_serious, screenshot
from tests.factories import EventFactory
from tests.factories.mailings import DeliveryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_subscribe_confirm_and_change_preferences(page, axe_source):
    event = EventFactory(slug="lisbon")
    security = Topic.objects.create(slug="security", name={"fr": "Sécurité", "en": "Security"})
    Topic.objects.create(slug="mobility", name={"fr": "Mobilité", "en": "Mobility"})

    page.goto("/fr/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="S’abonner"
    ).click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Abonnez-vous à notre salle de presse"
    assert axe_serious(page, axe_source) == []

    # A first try without consent: a clear message, nothing sent.
    page.locator("#id_email").fill("ines.duarte@publico.example")
    page.get_by_role("button", name="S’abonner").click()
    assert page.title().startswith("Erreur")
    assert page.get_by_role("alert").get_by_text("Cochez la case pour donner votre accord").count()
    assert mail.outbox == []
    screenshot(page, "journey-5-subscribe-error")

    page.locator("#id_first_name").fill("Inês")
    page.locator("#id_last_name").fill("Duarte")
    page.locator("#id_outlet_name").fill("Público")
    page.get_by_label("Sécurité").check()
    page.get_by_label("J’accepte").check()
    page.get_by_role("button", name="S’abonner").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre boîte de réception"
    screenshot(page, "journey-5-subscribe-sent")

    (message,) = mail.outbox
    assert message.to == ["ines.duarte@publico.example"]
    link = re.search(r"http://[^\s]+/confirmer/[^\s]+/", message.body).group(0)
    page.goto(link.split("//", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert not Journalist.objects.exists()
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vous êtes abonné"
    screenshot(page, "journey-5-confirmed")
    journalist = Journalist.objects.get()
    assert list(journalist.topics.all()) == [security]

    # A release email's personal link opens the preference page.
    delivery = DeliveryFactory(mailing__event=event, journalist=journalist, language="fr")
    page.goto(f"/fr/mailings/unsubscribe/{delivery.unsubscribe_token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vos préférences d’e-mails"
    assert page.get_by_label("Sécurité").is_checked()
    assert axe_serious(page, axe_source) == []
    page.get_by_label("Invitations à nos événements et accréditation").uncheck()
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Enregistrer mes choix").click()
    assert page.get_by_role("status").get_by_text("Vos choix sont enregistrés.").count()
    screenshot(page, "journey-5-preferences")
    journalist.refresh_from_db()
    assert journalist.wants_releases and not journalist.wants_invitations
    assert journalist.language == "en"
    assert journalist.suppressed_at is None

    page.goto(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your email preferences"
    assert axe_serious(page, axe_source) == []
