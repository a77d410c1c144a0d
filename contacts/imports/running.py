"""Running an import queued from the back office, in the background task, so a long
file shows its progress instead of holding a web request.

The row moves queued → reading → checking → writing → done (or failed at any step);
rows_done counts the rows checked. Reading and checking only read the media file and
commit their progress as they go; writing happens in one transaction.
"""

from django.core.files.storage import Storage, storages
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.enums import ImportState
from contacts.imports.applying import import_apply
from contacts.imports.planning import import_plan
from contacts.imports.reading import UnreadableSpreadsheet, spreadsheet_read
from contacts.imports.reporting import plan_report
from contacts.journalists import ContactError
from contacts.models import ContactImport

MOVES: dict[str, set[str]] = {
    ImportState.QUEUED: {ImportState.READING, ImportState.FAILED},
    ImportState.READING: {ImportState.CHECKING, ImportState.FAILED},
    ImportState.CHECKING: {ImportState.WRITING, ImportState.FAILED},
    ImportState.WRITING: {ImportState.DONE, ImportState.FAILED},
}


def contact_import_move(
    *, contact_import: ContactImport, to: ImportState, **fields: object
) -> None:
    """Move an import to its next state (refuses other moves, code "bad_state"),
    saving `fields` with it; a finished import records when."""
    if to not in MOVES.get(contact_import.state, set()):
        raise ContactError(
            "bad_state",
            _("An import cannot go from “%(from)s” to “%(to)s”.")
            % {"from": contact_import.get_state_display(), "to": ImportState(to).label},
        )
    if to in ImportState.finished():
        fields["finished_at"] = timezone.now()
    contact_import.state = to
    for name, value in fields.items():
        setattr(contact_import, name, value)
    contact_import.save(update_fields=["state", *fields])


def contact_import_run(*, contact_import: ContactImport) -> ContactImport:
    """Read, check and apply a queued import all-or-nothing, keeping its progress and
    report; the kept file is deleted whatever happens, and an unexpected error marks it
    failed before it is raised again. An import no longer queued is
    left alone (a task that runs twice does nothing the second time)."""
    if contact_import.state != ImportState.QUEUED:
        return contact_import
    storage = storages["private"]
    with translation.override(contact_import.language):
        try:
            _run(contact_import, storage)
        except (UnreadableSpreadsheet, ContactError) as error:
            contact_import_move(
                contact_import=contact_import, to=ImportState.FAILED, error=error.message
            )
        except DatabaseError:
            contact_import_move(
                contact_import=contact_import,
                to=ImportState.FAILED,
                error=_(
                    "The media file changed while the import was being written; nothing "
                    "was imported. Upload the file again."
                ),
            )
        except Exception:
            # Whatever went wrong, the status page must stop waiting; the worker logs it.
            contact_import_move(
                contact_import=contact_import,
                to=ImportState.FAILED,
                error=_(
                    "The import stopped on an unexpected error; nothing was imported. "
                    "Try again, and tell the site's administrator if it happens again."
                ),
            )
            raise
        finally:
            if contact_import.file_path:
                storage.delete(contact_import.file_path)
    return contact_import


def _run(contact_import: ContactImport, storage: Storage) -> None:
    contact_import_move(contact_import=contact_import, to=ImportState.READING)
    try:
        with storage.open(contact_import.file_path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as error:
        raise ContactError("file_gone", _("The uploaded file is no longer there.")) from error
    rows = spreadsheet_read(data)
    contact_import_move(
        contact_import=contact_import, to=ImportState.CHECKING, rows_total=len(rows)
    )

    def progress(done: int, total: int) -> None:
        ContactImport.objects.filter(pk=contact_import.pk).update(rows_done=done)

    plan = import_plan(
        rows=rows,
        list_name=contact_import.list_name,
        contact_list=contact_import.contact_list,
        progress=progress,
    )
    contact_import_move(contact_import=contact_import, to=ImportState.WRITING, rows_done=len(rows))
    with transaction.atomic():
        import_apply(plan=plan)
    contact_import_move(
        contact_import=contact_import,
        to=ImportState.DONE,
        counts=plan.counts(),
        report=plan_report(plan),
        contact_list=plan.contact_list,
    )
