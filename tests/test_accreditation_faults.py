"""The public form when the private file store fails: a full disk, an unwritable folder.
The journalist reads a clear message in their language, and nothing is half-stored."""

import errno

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage

from contacts.models import Journalist
from press.accreditation.models import BadgeRequest
from tests.test_accreditation_views import FORM_URL, _post_data


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def _stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_full_disk_part_way_through_the_files_records_nothing(
    client, event, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    real_save = FileSystemStorage._save
    calls = []

    def save_then_fill_the_disk(storage, name, content):
        calls.append(name)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(storage, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save_then_fill_the_disk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, _post_data(event))

    # The first file was written before the disk filled up; keeping the files for a
    # second try then failed too.
    assert len(calls) >= 2
    assert response.status_code == 503
    page = response.content.decode()
    assert "Vos fichiers n’ont pas pu être enregistrés" in page
    assert "rien n’a été enregistré" in page
    assert not BadgeRequest.objects.exists()
    assert not Journalist.objects.filter(email="lea@lesoir.example").exists()
    assert _stored_files(tmp_path / "private") == []
    assert mail.outbox == []


def test_an_unwritable_private_folder_gives_a_clear_message_in_english(
    client, event, settings, tmp_path
):
    # A plain file where the folder should be: no one, root included, can create it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "private"), "base_url": None},
        },
    }

    response = client.post(FORM_URL.replace("/fr/", "/en/"), _post_data(event))

    assert response.status_code == 503
    assert "Your files could not be stored just now, so nothing was recorded." in (
        response.content.decode()
    )
    assert not BadgeRequest.objects.exists()
    # The journalist's typed values are kept for the next try.
    assert 'value="Janssens"' in response.content.decode()
