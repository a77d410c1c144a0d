"""Imports from the back office: recorded, previewed and then applied by a background
task (contacts.tasks → contacts.imports.running), so that a long file shows its progress
instead of holding a web request."""

import datetime as dt

from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.enums import ImportState
from contacts.imports.running import contact_import_move
from contacts.journalists import ContactError
from contacts.models import ContactImport, ContactList
from contacts.tasks import contacts_import_task
from press.core.queue import enqueue_on_commit
from press.core.typing import StaffMember

# A preview nobody applied is dropped (with its file) after this long.
PREVIEW_KEPT = dt.timedelta(days=1)
UPLOADS = "imports"


def contact_import_queue(
    *,
    file_path: str,
    file_name: str,
    contact_list: ContactList | None,
    list_name: str,
    by: StaffMember,
    language: str,
) -> ContactImport:
    """Record an import of a file kept in private storage and queue its preview once
    committed. Its reports will be written in `language`."""
    contact_import = ContactImport.objects.create(
        file_name=file_name[:255],
        file_path=file_path,
        contact_list=contact_list,
        list_name=list_name,
        language=language,
        created_by=by,
    )
    enqueue_on_commit(contacts_import_task, contact_import.pk)
    return contact_import


def _expired(contact_import: ContactImport) -> bool:
    return contact_import.created_at < timezone.now() - PREVIEW_KEPT


def _check_own_preview(contact_import: ContactImport, by: StaffMember) -> None:
    if contact_import.state != ImportState.PREVIEWED:
        raise ContactError(
            "not_previewed", _("This import has already been applied or was not previewed.")
        )
    if by is None or contact_import.created_by_id != by.pk:
        raise ContactError(
            "not_uploader", _("Only the person who uploaded this file can apply it.")
        )


def contact_import_confirm(*, contact_import: ContactImport, by: StaffMember) -> None:
    """Queue a previewed import to be applied. Refuses (ContactError) an import that is
    not waiting for confirmation ("not_previewed"), someone other than its uploader
    ("not_uploader") and a preview older than a day ("expired")."""
    _check_own_preview(contact_import, by)
    if _expired(contact_import):
        _drop(contact_import)
        raise ContactError(
            "expired", _("This preview is more than a day old. Upload the file again.")
        )
    contact_import_move(
        contact_import=contact_import, to=ImportState.QUEUED, confirmed_at=timezone.now()
    )
    enqueue_on_commit(contacts_import_task, contact_import.pk)


def contact_import_cancel(*, contact_import: ContactImport, by: StaffMember) -> None:
    """Drop a preview its uploader will not apply, and its file (refuses as
    contact_import_confirm does)."""
    _check_own_preview(contact_import, by)
    _drop(contact_import)


def _drop(contact_import: ContactImport) -> None:
    contact_import_move(contact_import=contact_import, to=ImportState.CANCELLED)
    if contact_import.file_path:
        storages["private"].delete(contact_import.file_path)


def contact_import_forget_stale() -> int:
    """Previews nobody applied within a day are cancelled, and uploaded files that no
    unfinished import holds any more are deleted after a day. Returns how many files
    went."""
    limit = timezone.now() - PREVIEW_KEPT
    for contact_import in ContactImport.objects.filter(
        state=ImportState.PREVIEWED, created_at__lt=limit
    ):
        _drop(contact_import)
    storage = storages["private"]
    try:
        _folders, names = storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    held = set(
        ContactImport.objects.exclude(state__in=ImportState.finished()).values_list(
            "file_path", flat=True
        )
    )
    removed = 0
    for name in names:
        path = f"{UPLOADS}/{name}"
        if path not in held and storage.get_modified_time(path) < limit:
            storage.delete(path)
            removed += 1
    return removed
