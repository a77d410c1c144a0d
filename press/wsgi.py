"""WSGI entry point for gunicorn: `gunicorn press.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "press.settings")
application = get_wsgi_application()

from press.core.checks import static_manifest_problem  # noqa: E402 - needs Django set up

if problem := static_manifest_problem():
    raise SystemExit(f"Presse refuses to start: {problem}")
