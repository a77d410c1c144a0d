"""Start-up checks of the deployment that Django's own do not make.

Without `collectstatic`, a production server (DEBUG off, whitenoise's manifest storage)
answers every page with a 500: the template tag `{% static %}` finds no manifest entry.
`static_manifest_problem()` says so in one sentence; it runs as a deployment check
(`manage.py check --deploy`; not on every command, or `migrate` before `collectstatic`
would stop a release) and when the WSGI application starts (press.wsgi), so gunicorn
refuses to start instead of serving errors.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks


def static_manifest_problem() -> str | None:
    """A sentence saying what to run, when static files are served from a manifest that
    does not exist; None when all is well (or in development)."""
    if settings.DEBUG:
        return None
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return None
    if storage.exists(storage.manifest_name):
        return None
    return (
        "Static files have not been collected: run `python manage.py collectstatic "
        f"--noinput` (they go to {settings.STATIC_ROOT}) before starting Presse with "
        "DJANGO_DEBUG=0."
    )


@checks.register(deploy=True)
def check_static_manifest(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problem = static_manifest_problem()
    if problem is None:
        return []
    return [checks.Error(problem, id="press.E001")]
