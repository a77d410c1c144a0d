"""Presse settings: one module, read from the environment, with laptop defaults.

Every production value comes from an environment variable; see the table in the README.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "var").resolve()

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        # The development key is public: sessions and tokens signed with it can be forged.
        raise SystemExit(
            "Presse refuses to start: DJANGO_DEBUG=0 needs DJANGO_SECRET_KEY "
            "(a long random string: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Where links in emails point to (emails have no request to build absolute URLs from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks_db",
    "anymail",
    "axes",
    "ckeditor",
    "django_countries",
    # The press office, one app per area (see "Where the code lives" in the README).
    "press.core",
    "contacts",
    "press.events",
    "press.releases",
    "press.mailings",
    "press.accreditation",
    "press.badges",
    "press.checkin",
    "press.dashboard",
    "press.coverage",
    "press.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it locks out repeated failed back-office logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "press.urls"
WSGI_APPLICATION = "press.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "press.events.context_processors.public_site",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so that our own widget templates live with the
# others under templates/ (core/widgets/…).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'presse.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the back office's grouped counts for longer than they
    # run (the invitations page: 5.1 s with it, 0.28 s without, at 20,000 deliveries).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker share the file: wait for each other's writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock it for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a proxy: how many of ours stand in front (load balancer, TLS terminator…). The
# client's address is then read from X-Forwarded-For, counted from the right; with 0
# the header is never trusted. See press.core.clients.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "press.core.clients.axes_client_address"
# A locked-out login gets a page in its language: how long, and whom to write to.
AXES_LOCKOUT_CALLABLE = "press.core.lockout.lockout_response"
# The press office: its address for staff who are locked out (default: the current
# event's press office address), and its country, whose phone numbers the back office
# shows in national format (others in international format).
PRESS_OFFICE_EMAIL = os.environ.get("PRESS_OFFICE_EMAIL", "").strip()
PRESS_OFFICE_COUNTRY = os.environ.get("PRESS_OFFICE_COUNTRY", "BE").strip().upper() or "BE"
LOGIN_URL = "admin:login"

# Internationalisation: the interface and the content languages.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# Files: public media (release attachments) and private files (photos, press cards),
# the latter never under a public URL.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
PRIVATE_ROOT = DATA_DIR / "private"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files on more than one machine: with S3_BUCKET set, public media and private files go
# to S3-compatible object storage (AWS, MinIO, Scaleway, OVH…) instead of DATA_DIR. Public
# media get plain URLs (the bucket's "media/" prefix must be publicly readable, or served
# through S3_MEDIA_DOMAIN); private files stay private (another bucket with
# S3_PRIVATE_BUCKET, or the "private/" prefix) and are streamed by their views. Without
# keys, boto3 finds credentials as usual (instance role, AWS_* variables).
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
if S3_BUCKET:
    _s3 = {
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": S3_BUCKET,
            "location": "media",
            "querystring_auth": False,
            "custom_domain": os.environ.get("S3_MEDIA_DOMAIN") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "press.core.s3.PrivateS3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET") or S3_BUCKET,
            "location": "private",
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Release attachments (PDF, images); accreditation uploads have their own limits.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(25 * 1024 * 1024)))
# Accreditation: press cards and letters of a finished event are deleted this many days
# after its last day (manage.py purge_identity_documents); form submissions per address
# per hour before the form refuses (cache-based: use a shared cache with several servers).
IDENTITY_DOCUMENT_RETENTION_DAYS = int(os.environ.get("IDENTITY_DOCUMENT_RETENTION_DAYS", "30"))
ACCREDITATION_SUBMISSIONS_PER_HOUR = int(os.environ.get("ACCREDITATION_SUBMISSIONS_PER_HOUR", "10"))
NEWSROOM_SUBSCRIPTIONS_PER_HOUR = int(os.environ.get("NEWSROOM_SUBSCRIPTIONS_PER_HOUR", "10"))
# Coverage: reading a pasted URL's page never reaches private, loopback, link-local or
# reserved addresses unless this allows them: True, or a list of networks such as
# ["127.0.0.1/32"] (tests serving pages on 127.0.0.1 only).
COVERAGE_FETCH_ALLOW_PRIVATE = False
COVERAGE_FETCH_TIMEOUT_SECONDS = 5.0
COVERAGE_FETCH_MAX_BYTES = 2 * 1024 * 1024

# A cache shared by every web server through the database (rate limits must hold across
# processes and machines); its table is created by a migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "presse_cache",
    },
    # Rendered newsroom pages, per process: their keys carry the newsroom's state, which
    # lives in the shared default cache, so every server forgets them together.
    "newsroom": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Background work: django.tasks with a database queue; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email: console output in development; any anymail provider in production.
# EMAIL_PROVIDER=postmark (or brevo, mailgun, amazon_ses, sendgrid, …) selects
# anymail.backends.<provider>.EmailBackend as the default mailer; every ANYMAIL_<NAME>
# variable becomes ANYMAIL["<NAME>"] (for instance ANYMAIL_POSTMARK_SERVER_TOKEN).
EMAIL_PROVIDER = os.environ.get("EMAIL_PROVIDER", "").strip().lower()
MAILERS = {
    "default": {
        "BACKEND": (
            f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
            if EMAIL_PROVIDER
            else "django.core.mail.backends.console.EmailBackend"
        )
    }
}
# Messages of a claim handed to the provider at once, each thread over its own
# connection: an HTTP provider answers in 50-100 ms, so one after another would take
# minutes for 10,000 recipients; an SMTP relay is given one connection.
MAILINGS_SEND_CONCURRENCY = int(
    os.environ.get("MAILINGS_SEND_CONCURRENCY", "25" if EMAIL_PROVIDER else "1")
)
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_") and key != "ANYMAIL_WEBHOOK_SECRET"
}
ANYMAIL_WEBHOOK_SECRET = os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")
if ANYMAIL_WEBHOOK_SECRET:
    ANYMAIL["WEBHOOK_SECRET"] = ANYMAIL_WEBHOOK_SECRET
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Presse <press@example.org>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Content-Security-Policy on every response (Django's own middleware): scripts, styles,
# fonts, frames and form targets from this site only; no inline script or style, no
# plugin, no framing by other sites. Images may also come from any HTTPS address (a
# release's text may show a picture hosted elsewhere; media on S3 live on another host).
# A page that needs an inline script reads {{ csp_nonce }}, which adds a nonce for it.
# The release editor (CKEditor 4) gets a looser policy of its own, on its pages only:
# see press.releases.editor.RICH_TEXT_EDITOR_CSP.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Production hardening, on whenever debug is off. Behind a TLS-terminating proxy set
# DJANGO_SECURE_PROXY_SSL_HEADER=1 so that Django knows the request was HTTPS.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# Rich text: django-ckeditor (CKEditor 4.22.1, unmaintained upstream) is accepted here only
# with these mitigations: the editor exists in the staff back office alone; everything it
# produces is sanitised server-side with nh3 before it is stored (press.core.sanitise); the
# column stays plain HTML text, and the widget is chosen in one place (press.releases.editor), so
# another editor is a one-line change. Hence ckeditor.W001 is silenced.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]
CKEDITOR_CONFIGS = {
    "release": {
        "versionCheck": False,
        "entities": False,
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Table", "Image"],
            ["RemoveFormat", "Source"],
        ],
        "format_tags": "p;h2;h3;h4",
        "height": 320,
        "width": "100%",
    },
}
AXES_VERBOSE = False
