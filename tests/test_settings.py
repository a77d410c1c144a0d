import importlib
import os
from pathlib import Path
from unittest import mock

import pytest


def load_settings(**env):
    """Import the settings module afresh under the given environment."""
    from press import settings as module

    present = {key: value for key, value in env.items() if value is not None}
    with mock.patch.dict(os.environ, present, clear=False):
        for key in [key for key, value in env.items() if value is None]:
            os.environ.pop(key, None)
        return importlib.reload(module)


@pytest.fixture(autouse=True)
def restore_settings_module():
    yield
    from press import settings as module

    importlib.reload(module)


def test_settings_defaults_are_for_a_laptop(tmp_path):
    settings = load_settings(
        DATA_DIR=None,
        DATABASE_URL=None,
        DJANGO_DEBUG=None,
        EMAIL_PROVIDER=None,
        ANYMAIL_WEBHOOK_SECRET=None,
    )
    base = Path(settings.BASE_DIR)
    assert settings.DATA_DIR == (base / "var").resolve()
    assert settings.DEBUG is True
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.DATABASES["default"]["NAME"] == str(base / "var" / "presse.sqlite3")
    assert settings.MEDIA_ROOT == base / "var" / "media"
    assert settings.PRIVATE_ROOT == base / "var" / "private"
    assert (
        settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    )
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "WEBHOOK_SECRET" not in settings.ANYMAIL
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]


def test_settings_read_the_environment(tmp_path):
    settings = load_settings(
        DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://presse:secret@db.internal:5433/presse",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="press.example.org, www.press.example.org",
        EMAIL_PROVIDER="postmark",
        ANYMAIL_POSTMARK_SERVER_TOKEN="token-123",
        ANYMAIL_WEBHOOK_SECRET="hook:pass",
    )
    assert settings.DEBUG is False
    assert settings.SECRET_KEY == "k" * 60
    assert settings.ALLOWED_HOSTS == ["press.example.org", "www.press.example.org"]
    db = settings.DATABASES["default"]
    assert (db["ENGINE"], db["HOST"], db["PORT"], db["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        5433,
        "presse",
    )
    assert settings.MEDIA_ROOT == tmp_path / "media"
    assert settings.MAILERS["default"]["BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert settings.ANYMAIL["POSTMARK_SERVER_TOKEN"] == "token-123"
    assert settings.ANYMAIL["WEBHOOK_SECRET"] == "hook:pass"
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SECURE_HSTS_SECONDS == 31536000
    assert (
        settings.STORAGES["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
