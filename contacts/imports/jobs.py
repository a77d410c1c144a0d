"""Imports applied from the back office: recorded, then run by a background task
(contacts.tasks → contacts.imports.running), so a long file shows its progress
instead of holding a web request."""

from contacts.models import ContactImport, ContactList
from contacts.tasks import contacts_import_task
from press.core.queue import enqueue_on_commit
from press.core.typing import StaffMember


def contact_import_queue(
    *,
    file_path: str,
    file_name: str,
    contact_list: ContactList | None,
    list_name: str,
    by: StaffMember,
    language: str,
) -> ContactImport:
    """Record an import of a file kept in private storage and queue it once committed.
    The report will be written in `language`."""
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
