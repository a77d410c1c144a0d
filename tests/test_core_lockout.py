"""The back-office lockout: after too many wrong passwords the login answers 429 with a
page in the user's language saying how long the lock lasts and whom to write to."""

import datetime as dt

import pytest
from django.utils import translation

from press import permissions
from press.core.lockout import duration_text
from tests.factories import EventFactory

N = "\u202f"


def _lock_out(client, *, language):
    for _attempt in range(5):
        client.post(
            "/admin/login/",
            {"username": "target", "password": "wrong"},
            headers={"accept-language": language},
        )
    return client.post(
        "/admin/login/",
        {"username": "target", "password": "correct horse battery staple"},
        headers={"accept-language": language},
    )


@pytest.mark.django_db
def test_lockout_page_in_french_says_how_long_and_whom_to_contact(client, staff_user):
    staff_user(permissions.PRESS_OFFICER, username="target")
    EventFactory(press_email="presse@event.example")

    response = _lock_out(client, language="fr")
    html = response.content.decode()

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "<h1>Connexion bloquée</h1>" in html
    assert f"Réessayez dans 1 heure{N}; le blocage se lève de lui-même." in html
    assert 'href="mailto:presse@event.example"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_page_in_english_names_the_configured_address(client, staff_user, settings):
    settings.PRESS_OFFICE_EMAIL = "it-desk@office.example"
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    staff_user(permissions.PRESS_OFFICER, username="target")
    EventFactory(press_email="presse@event.example")

    response = _lock_out(client, language="en")
    html = response.content.decode()

    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert "<h1>Sign-in locked</h1>" in html
    assert "Try again in 30 minutes; the lock lifts by itself." in html
    assert 'href="mailto:it-desk@office.example"' in html
    assert "presse@event.example</a>" not in html.split("<main", 1)[-1].split("</main>")[0]


@pytest.mark.parametrize(
    ("language", "delta", "text"),
    [
        ("en", dt.timedelta(hours=1), "1 hour"),
        ("en", dt.timedelta(hours=2), "2 hours"),
        ("en", dt.timedelta(minutes=1), "1 minute"),
        ("en", dt.timedelta(seconds=90), "2 minutes"),
        ("fr", dt.timedelta(hours=1), "1 heure"),
        ("fr", dt.timedelta(hours=3), "3 heures"),
        ("fr", dt.timedelta(minutes=45), "45 minutes"),
    ],
)
def test_lockout_duration_reads_in_the_language(language, delta, text):
    with translation.override(language):
        assert duration_text(delta) == text
