import pytest


@pytest.fixture(autouse=True)
def _isolated_files_and_tasks(settings, tmp_path):
    """Each test writes files under its own folder and runs tasks in-process."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.test.EmailBackend"}}
    settings.AXES_ENABLED = True
    # Cached newsroom pages belong to one test.
    from django.core.cache import caches

    caches["newsroom"].clear()
    yield
    # A request leaves its language active in the thread (LocaleMiddleware activates it
    # and nothing deactivates it): the next test starts from the site's default again.
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def event(db):
    from tests.factories import EventFactory

    return EventFactory()


@pytest.fixture
def staff_user(db):
    """A user in a named staff group: staff_user("Press officer")."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    def make(group_name=None, **kwargs):
        user = UserFactory(is_staff=True, **kwargs)
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def officer(staff_user):
    return staff_user("Press officer", username="officer")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def postmark_secret(settings):
    """The basic-auth secret of Postmark's tracking webhook (tests/postmark.py)."""
    from tests.postmark import SECRET

    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
