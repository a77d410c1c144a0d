"""The 404, 403, 429 and 500 pages: in the URL's language, with the site's header."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation

from press.core import views
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.DEBUG = False
    return EventFactory(slug="brussels", name={"fr": "Sommet des villes", "en": "Cities summit"})


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/fr/nulle-part/", "fr", "Page introuvable"),
        ("/en/nowhere/", "en", "Page not found"),
    ],
)
def test_404_page_is_in_the_url_language_with_the_site_header(client, site, path, lang, title):
    response = client.get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert 'class="site-header"' in html
    assert ("Sommet des villes" if lang == "fr" else "Cities summit") in html


def test_404_of_a_missing_release_is_a_page_not_a_bare_message(client, site):
    response = client.get("/en/releases/no-such-release/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def _request(path, lang):
    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = lang
    return request


@pytest.mark.parametrize(("lang", "title"), [("fr", "Accès refusé"), ("en", "Access refused")])
def test_403_page_in_each_language(site, lang, title):
    with translation.override(lang):
        response = views.permission_denied(_request(f"/{lang}/", lang), PermissionDenied())

    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Trop de demandes"), ("en", "Too many requests")]
)
def test_429_page_in_each_language(site, lang, title):
    with translation.override(lang):
        response = views.too_many_requests(_request(f"/{lang}/", lang), retry_after=600)

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Une erreur s’est produite de notre côté"), ("en", "Something went wrong on our side")],
)
def test_500_page_in_each_language(site, lang, title):
    with translation.override(lang):
        response = views.server_error(_request(f"/{lang}/", lang))

    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert 'class="site-header"' in html


def test_500_page_still_answers_when_the_header_cannot_be_rendered(site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("press.events.context_processors.current_event", broken)
    with translation.override("fr"):
        response = views.server_error(_request("/fr/", "fr"))

    assert response.status_code == 500
    assert "<h1>Une erreur s’est produite de notre côté</h1>" in response.content.decode()


def test_root_urlconf_names_the_error_handlers():
    # Django calls these for every 403, 404 and 500 raised anywhere.
    from press import urls

    assert urls.handler403 == "press.core.views.permission_denied"
    assert urls.handler404 == "press.core.views.page_not_found"
    assert urls.handler500 == "press.core.views.server_error"
