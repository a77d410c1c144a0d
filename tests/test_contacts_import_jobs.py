import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from contacts.enums import ImportState
from contacts.imports.jobs import (
    contact_import_cancel,
    contact_import_confirm,
    contact_import_forget_stale,
    contact_import_queue,
)
from contacts.imports.running import (
    _committed_progress,
    contact_import_move,
    contact_import_run,
)
from contacts.journalists import ContactError
from contacts.models import ContactImport, Journalist
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queued_import(
    content: bytes, *, list_name="", language="fr", confirmed=True, by=None
) -> ContactImport:
    """An import waiting for the worker: to be applied (confirmed) or previewed."""
    path = storages["private"].save("imports/test-upload", ContentFile(content))
    return ContactImport.objects.create(
        file_name="contacts.csv",
        file_path=path,
        list_name=list_name,
        language=language,
        created_by=by,
        confirmed_at=timezone.now() if confirmed else None,
    )


def test_contact_import_queue_previews_after_commit_then_confirm_applies(
    django_capture_on_commit_callbacks,
):
    officer = UserFactory()
    path = storages["private"].save("imports/queued", ContentFile(b"Email\nq@media.example\n"))

    with django_capture_on_commit_callbacks(execute=True):
        contact_import = contact_import_queue(
            file_path=path,
            file_name="q.csv",
            contact_list=None,
            list_name="",
            by=officer,
            language="en",
        )

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.PREVIEWED
    assert contact_import.counts == {"created": 1, "updated": 0, "unchanged": 0, "refused": 0}
    assert contact_import.rows_total == 1
    assert Journalist.objects.count() == 0
    assert storages["private"].exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        contact_import_confirm(contact_import=contact_import, by=officer)

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.DONE
    assert contact_import.confirmed_at is not None
    assert list(Journalist.objects.values_list("email", flat=True)) == ["q@media.example"]
    assert not storages["private"].exists(path)


def test_contact_import_preview_reports_what_applying_would_do():
    contact_import = queued_import(
        b"Email,Outlet\nnew@media.example,Radio Neuve\nbad\n", confirmed=False
    )

    contact_import_run(contact_import=contact_import)

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.PREVIEWED
    assert contact_import.finished_at is None
    assert (contact_import.rows_total, contact_import.rows_done) == (2, 2)
    assert contact_import.counts == {"created": 1, "updated": 0, "unchanged": 0, "refused": 1}
    assert contact_import.report["new_outlets"] == ["Radio Neuve"]
    assert Journalist.objects.count() == 0
    assert storages["private"].exists(contact_import.file_path)


def test_contact_import_confirm_refuses_others_twice_and_old_previews(
    django_capture_on_commit_callbacks,
):
    uploader, colleague = UserFactory(), UserFactory()
    contact_import = queued_import(b"Email\na@media.example\n", confirmed=False, by=uploader)
    contact_import_run(contact_import=contact_import)

    with pytest.raises(ContactError) as by_colleague:
        contact_import_confirm(contact_import=contact_import, by=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        contact_import_confirm(contact_import=contact_import, by=uploader)
    with pytest.raises(ContactError) as twice:
        contact_import_confirm(contact_import=contact_import, by=uploader)

    old = queued_import(b"Email\nb@media.example\n", confirmed=False, by=uploader)
    contact_import_run(contact_import=old)
    ContactImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1, minutes=1)
    )
    old.refresh_from_db()
    with pytest.raises(ContactError) as expired:
        contact_import_confirm(contact_import=old, by=uploader)

    assert (by_colleague.value.code, twice.value.code, expired.value.code) == (
        "not_uploader",
        "not_previewed",
        "expired",
    )
    assert by_colleague.value.message == (
        "Seule la personne qui a envoyé ce fichier peut l’appliquer."
    )
    assert old.state == ImportState.CANCELLED
    assert not storages["private"].exists(old.file_path)
    assert list(Journalist.objects.values_list("email", flat=True)) == ["a@media.example"]


def test_contact_import_cancel_drops_the_preview_and_its_file():
    uploader = UserFactory()
    contact_import = queued_import(b"Email\na@media.example\n", confirmed=False, by=uploader)
    contact_import_run(contact_import=contact_import)

    contact_import_cancel(contact_import=contact_import, by=uploader)

    assert contact_import.state == ImportState.CANCELLED
    assert contact_import.finished_at is not None
    assert not storages["private"].exists(contact_import.file_path)
    assert Journalist.objects.count() == 0


def test_contact_import_forget_stale_keeps_files_of_running_imports():
    storage = storages["private"]
    waiting = queued_import(b"Email\na@media.example\n", confirmed=False)
    orphan = storage.save("imports/orphan", ContentFile(b"Email\n"))
    fresh = storage.save("imports/fresh", ContentFile(b"Email\n"))
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    for path in (waiting.file_path, orphan):
        os.utime(storage.path(path), (two_days_ago, two_days_ago))

    removed = contact_import_forget_stale()

    assert removed == 1
    assert storage.exists(waiting.file_path)
    assert not storage.exists(orphan)
    assert storage.exists(fresh)


def test_contact_import_run_applies_and_keeps_a_report():
    contact_import = queued_import(
        b"Email,Country,Outlet\na@media.example,Narnia,Radio Neuve\nbad\n", list_name="L"
    )

    contact_import_run(contact_import=contact_import)

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.DONE
    assert contact_import.finished_at is not None
    assert contact_import.rows_total == 2
    assert contact_import.counts == {"created": 1, "updated": 0, "unchanged": 0, "refused": 1}
    assert contact_import.contact_list.name == "L"
    assert contact_import.report["new_outlets"] == ["Radio Neuve"]
    created = contact_import.report["sections"][1]
    assert created["rows"] == [
        {
            "rows": "2",
            "email": "a@media.example",
            "fills": [],
            "notes": ["Pays «\u202fNarnia\u202f» non reconnu\u202f; laissé vide."],
        }
    ]
    assert not storages["private"].exists(contact_import.file_path)


def test_contact_import_run_reports_in_the_chosen_language():
    contact_import = queued_import(b"Email\nbad\n", language="en")

    contact_import_run(contact_import=contact_import)

    refused = contact_import.report["sections"][0]["rows"]
    assert refused[0]["notes"] == ["“bad” is not a valid email address."]


def test_contact_import_run_unreadable_file_fails_and_changes_nothing():
    contact_import = queued_import(b"Name\nAnn\n")

    contact_import_run(contact_import=contact_import)

    assert contact_import.state == ImportState.FAILED
    assert contact_import.error.startswith("Aucune colonne d’adresses e-mail")
    assert not storages["private"].exists(contact_import.file_path)
    assert Journalist.objects.count() == 0


def test_contact_import_run_fails_cleanly_when_writing_fails(monkeypatch):
    contact_import = queued_import(b"Email\na@media.example\n", list_name="L")

    def clash(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(Journalist.lists.through.objects, "bulk_create", clash)

    contact_import_run(contact_import=contact_import)

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.FAILED
    assert contact_import.error.startswith("Le fichier médias a changé pendant l’import")
    assert Journalist.objects.count() == 0


def test_contact_import_run_marks_an_unexpected_error_as_failed(monkeypatch):
    contact_import = queued_import(b"Email\na@media.example\n")

    def crash(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("contacts.imports.running.import_plan", crash)

    with pytest.raises(RuntimeError):
        contact_import_run(contact_import=contact_import)

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.FAILED
    assert contact_import.error == (
        "L’import s’est arrêté sur une erreur inattendue\u202f; rien n’a été importé. "
        "Réessayez, et prévenez l’administrateur du site si cela se reproduit."
    )
    assert contact_import.finished_at is not None
    assert not storages["private"].exists(contact_import.file_path)
    assert Journalist.objects.count() == 0


def test_contact_import_run_twice_does_nothing_the_second_time():
    contact_import = queued_import(b"Email\na@media.example\n")
    contact_import_run(contact_import=contact_import)
    finished_at = contact_import.finished_at

    again = contact_import_run(contact_import=contact_import)

    assert again.state == ImportState.DONE
    assert again.finished_at == finished_at
    assert Journalist.objects.count() == 1


def test_contact_import_missing_file_fails():
    contact_import = ContactImport.objects.create(
        file_name="gone.csv", file_path="imports/gone", language="fr", confirmed_at=timezone.now()
    )

    contact_import_run(contact_import=contact_import)

    assert contact_import.state == ImportState.FAILED
    assert contact_import.error == "Le fichier envoyé n’est plus disponible."


def test_contact_import_move_refuses_going_back():
    contact_import = ContactImport.objects.create(
        file_name="a.csv", language="fr", state=ImportState.DONE
    )

    with pytest.raises(ContactError) as raised:
        contact_import_move(contact_import=contact_import, to=ImportState.WRITING)

    contact_import.refresh_from_db()
    assert raised.value.code == "bad_state"
    assert contact_import.state == ImportState.DONE


def test_contact_import_move_never_writes_an_unconfirmed_import():
    contact_import = ContactImport.objects.create(
        file_name="a.csv", language="fr", state=ImportState.READING
    )

    with pytest.raises(ContactError) as raised:
        contact_import_move(contact_import=contact_import, to=ImportState.WRITING)

    assert raised.value.code == "bad_state"
    contact_import_move(contact_import=contact_import, to=ImportState.CHECKING)
    assert contact_import.state == ImportState.CHECKING


@pytest.mark.django_db(transaction=True)
def test_contact_import_is_applied_by_the_database_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = UserFactory()
    path = storages["private"].save(
        "imports/worker", ContentFile(b"Email;Ville\nw@media.example;Gent\nbad;Gent\n")
    )
    contact_import = contact_import_queue(
        file_path=path,
        file_name="w.csv",
        contact_list=None,
        list_name="Worker list",
        by=officer,
        language="en",
    )
    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.QUEUED

    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)
    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.PREVIEWED
    contact_import_confirm(contact_import=contact_import, by=officer)
    call_command("db_worker", "--batch", "--no-reload", "--interval", "0", verbosity=0)

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.DONE
    assert contact_import.counts == {"created": 1, "updated": 0, "unchanged": 0, "refused": 1}
    assert contact_import.report["sections"][0]["rows"][0]["notes"] == [
        "“bad” is not a valid email address."
    ]
    assert list(Journalist.objects.values_list("email", "city", "lists__name")) == [
        ("w@media.example", "Gent", "Worker list")
    ]
    assert not storages["private"].exists(path)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one connection write at a time"
)
@pytest.mark.django_db(transaction=True)
def test_rows_written_are_seen_while_the_import_transaction_is_open():
    contact_import = ContactImport.objects.create(
        file_name="big.csv", language="fr", state=ImportState.WRITING, rows_total=10
    )
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic(), _committed_progress(contact_import) as record:
            Journalist.objects.create(email="inside@media.example")
            record(5, 10)
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT rows_done FROM contacts_contactimport WHERE id = %s",
                    [contact_import.pk],
                )
                seen = cursor.fetchone()[0]
                cursor.execute("SELECT count(*) FROM contacts_journalist")
                journalists_seen = cursor.fetchone()[0]
    finally:
        observer.close()

    assert (seen, journalists_seen) == (5, 0)
