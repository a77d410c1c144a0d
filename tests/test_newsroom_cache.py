"""Public newsroom pages are cached per language and address, and forgotten when a
release is published, edited, unpublished, or its embargo lifts."""

import datetime as dt

import pytest
from django.utils import timezone

from press.releases.caching import STATE_KEY
from press.releases.publishing import release_publish, release_unpublish
from tests.factories import ReleaseFactory, ReleaseVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(is_staff=True)


def fresh(client, path, django_assert_max_num_queries, *, queries):
    with django_assert_max_num_queries(queries):
        return client.get(path).content.decode()


def test_a_cached_page_is_served_with_one_query(client, django_assert_num_queries):
    ReleaseVersionFactory(title="Premier", slug="premier")
    client.get("/fr/")
    client.get("/fr/communiques/premier/")

    with django_assert_num_queries(1):
        assert "Premier" in client.get("/fr/").content.decode()
    with django_assert_num_queries(1):
        assert "Premier" in client.get("/fr/communiques/premier/").content.decode()


def test_each_language_and_query_has_its_own_page(client):
    release = ReleaseFactory()
    ReleaseVersionFactory(release=release, language="fr", title="Bonjour", slug="bonjour")
    ReleaseVersionFactory(release=release, language="en", title="Hello", slug="hello")

    assert '<html lang="fr">' in client.get("/fr/").content.decode()
    assert '<html lang="en">' in client.get("/en/").content.decode()
    assert "Hello" in client.get("/en/").content.decode()
    assert "Bonjour" not in client.get("/fr/", {"q": "zzz"}).content.decode().split("<main")[1]


def test_publishing_shows_the_release_at_once(client, officer):
    draft = ReleaseFactory(status="draft", publish_at=None)
    ReleaseVersionFactory(release=draft, title="Nouveau", slug="nouveau")
    assert "Nouveau" not in client.get("/fr/").content.decode()

    release_publish(release=draft, by=officer)

    assert "Nouveau" in client.get("/fr/").content.decode()
    assert client.get("/fr/communiques/nouveau/").status_code == 200


def test_editing_a_version_shows_at_once(client):
    version = ReleaseVersionFactory(title="Avant", slug="texte")
    assert "Avant" in client.get("/fr/communiques/texte/").content.decode()

    version.title = "Après"
    version.save()

    html = client.get("/fr/communiques/texte/").content.decode()
    assert "Après" in html and "Avant" not in html
    assert "Après" in client.get("/fr/communiques/flux.xml").content.decode()


def test_unpublishing_takes_the_release_off_at_once(client, officer):
    version = ReleaseVersionFactory(title="Retiré", slug="retire")
    assert client.get("/fr/communiques/retire/").status_code == 200
    assert "Retiré" in client.get("/fr/").content.decode()

    release_unpublish(release=version.release, by=officer)

    assert client.get("/fr/communiques/retire/").status_code == 404
    assert "Retiré" not in client.get("/fr/").content.decode()


def test_an_embargo_lifts_on_time_without_any_save(client, settings):
    from django.core.cache import caches

    lift = timezone.now() + dt.timedelta(hours=1)
    ReleaseVersionFactory(
        title="Sous embargo", slug="embargo", release=ReleaseFactory(embargo_until=lift)
    )
    assert "Sous embargo" not in client.get("/fr/").content.decode()
    state = caches["default"].get(STATE_KEY)
    assert state["next"] == lift.timestamp()

    # The clock passes the lift: pretend the stored state was computed an hour ago by
    # moving the lift into the past in the state only, as time would.
    caches["default"].set(STATE_KEY, {**state, "next": timezone.now().timestamp() - 1}, None)
    from press.releases.models import Release

    Release.objects.update(embargo_until=timezone.now() - dt.timedelta(seconds=1))  # no signal

    assert "Sous embargo" in client.get("/fr/").content.decode()


def test_a_signed_in_visitor_is_never_served_from_the_cache(officer_client):
    from django.test import Client

    client = Client()
    version = ReleaseVersionFactory(title="Avant", slug="texte")
    client.get("/fr/")
    from press.releases.models import ReleaseVersion

    ReleaseVersion.objects.filter(pk=version.pk).update(title="Changé")  # no signal

    assert "Avant" in client.get("/fr/").content.decode()
    assert "Changé" in officer_client.get("/fr/").content.decode()


def test_personal_links_are_never_cached(client):
    from press.releases.access import AccessHolder, release_access_grant

    release = ReleaseFactory(embargo_until=timezone.now() + dt.timedelta(days=1))
    ReleaseVersionFactory(release=release, title="Secret", slug="secret")
    token = release_access_grant(release=release, holders=[AccessHolder(email="a@b.example")])[
        "a@b.example"
    ]

    client.get(f"/fr/communiques/lire/{token}/")
    client.get(f"/fr/communiques/lire/{token}/")

    assert release.readings.count() == 2
