import pytest
from django.urls import reverse
from django.utils import translation

from press.events.selectors import current_event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Conférence event-main"), ("en", "Conference event-main")]
)
def test_home_renders_in_each_language(client, language, heading):
    EventFactory(slug="event-main")
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert "press@event.example" in html


def test_root_redirects_by_browser_language(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    response = client.get("/", headers={"accept-language": "fr-BE,fr;q=0.9"})
    assert response["Location"] == "/fr/"


def test_language_switch_stays_on_the_same_page(client):
    EventFactory()
    html = client.get("/fr/").content.decode()
    assert 'href="/en/" hreflang="en"' in html
    assert 'href="/fr/" hreflang="fr" lang="fr" aria-current="true"' in html


def test_interface_is_translated_into_french(client):
    EventFactory()
    html = client.get("/fr/").content.decode()
    assert "Aller au contenu" in html
    assert "Contact presse" in html
    html = client.get("/en/").content.decode()
    assert "Skip to content" in html


def test_current_event_is_the_next_one_not_over(event):
    past = EventFactory(
        starts_on=event.starts_on.replace(year=2020), ends_on=event.starts_on.replace(year=2020)
    )
    later = EventFactory(
        starts_on=event.starts_on.replace(year=event.starts_on.year + 3),
        ends_on=event.ends_on.replace(year=event.ends_on.year + 3),
    )
    assert current_event() == event
    event.delete()
    assert current_event() == later
    later.delete()
    assert current_event() == past


def test_current_event_is_none_without_events():
    assert current_event() is None


def test_event_name_follows_language(event):
    with translation.override("en"):
        assert str(event) == f"Conference {event.slug}"
    with translation.override("fr"):
        assert str(event) == f"Conférence {event.slug}"
    assert reverse("newsroom:index") in ("/fr/", "/en/")
