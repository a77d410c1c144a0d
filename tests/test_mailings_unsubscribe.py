import pytest

from contacts.enums import SuppressionReason
from press.mailings.enums import DeliveryState
from tests.factories import JournalistFactory
from tests.factories.mailings import DeliveryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(event):
    return DeliveryFactory(
        mailing__event=event, journalist=JournalistFactory(email="lea@media.example")
    )


def test_unsubscribe_page_asks_to_confirm_in_the_link_language(client, delivery):
    response = client.get(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Do you want to stop receiving press releases and invitations at" in html
    assert "lea@media.example" in html
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is None


def test_unsubscribe_confirm_button_suppresses_the_journalist(client, delivery):
    response = client.post(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")

    assert response.status_code == 200
    assert "lea@media.example will no longer receive our press mailings." in (
        response.content.decode()
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNSUBSCRIBED
    assert delivery.unsubscribed_at is not None
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppression_reason == SuppressionReason.UNSUBSCRIBED


def test_unsubscribe_one_click_post_needs_no_csrf_token(delivery):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/fr/mailings/unsubscribe/{delivery.unsubscribe_token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is not None


def test_unsubscribe_twice_keeps_the_first_time(client, delivery):
    client.post(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")
    delivery.refresh_from_db()
    first = delivery.unsubscribed_at

    response = client.get(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")
    client.post(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")

    assert "lea@media.example is already unsubscribed" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.unsubscribed_at == first


def test_unsubscribe_with_a_guessed_token_changes_nothing(client, delivery):
    guessed = delivery.unsubscribe_token[:-1] + (
        "A" if delivery.unsubscribe_token[-1] != "A" else "B"
    )

    response = client.post(f"/en/mailings/unsubscribe/{guessed}/")

    assert response.status_code == 404
    delivery.journalist.refresh_from_db()
    assert delivery.journalist.suppressed_at is None


def test_unsubscribe_with_an_unknown_link_explains_in_the_link_language(client, event):
    response = client.get("/fr/mailings/unsubscribe/cut-off-link/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Ce lien de désabonnement n'est pas valide" in html
    assert f'<a href="mailto:{event.press_email}">{event.press_email}</a>' in html


def test_unsubscribe_token_only_reaches_its_own_journalist(client, delivery, event):
    other = DeliveryFactory(mailing=delivery.mailing)

    client.post(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")

    other.journalist.refresh_from_db()
    assert other.journalist.suppressed_at is None
    assert other.unsubscribe_token != delivery.unsubscribe_token


def test_unsubscribe_refuses_other_methods(client, delivery):
    response = client.put(f"/en/mailings/unsubscribe/{delivery.unsubscribe_token}/")

    assert response.status_code == 405


def test_unsubscribe_page_speaks_french_on_a_french_link(client, delivery):
    response = client.get(f"/fr/mailings/unsubscribe/{delivery.unsubscribe_token}/")

    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert (
        "Voulez-vous ne plus recevoir de communiqués ni d'invitations à l'adresse "
        "lea@media.example\u202f?" in html
    )
