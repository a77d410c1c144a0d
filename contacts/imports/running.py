"""Running an import queued from the back office, in the background task, so that a file
of any length shows its progress instead of holding a web request.

An import is previewed first: queued → reading → checking → previewed, which writes
nothing and keeps the report of what applying would do. When its uploader confirms it
(contact_import_confirm, in jobs.py) it is queued again and applied: queued → reading →
writing → done, deciding the file afresh (the media file may have changed since the
preview) and writing it all in one transaction. Either may fail at any step. The kept
file is deleted once the import is finished, whatever happened.
"""

import contextlib
import logging
from collections.abc import Callable, Iterator

from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.enums import ImportState
from contacts.imports.applying import import_apply
from contacts.imports.planning import ImportPlan, import_plan, import_preview
from contacts.imports.reading import UnreadableSpreadsheet, spreadsheet_open
from contacts.imports.reporting import plan_report
from contacts.journalists import ContactError
from contacts.models import ContactImport

logger = logging.getLogger(__name__)

MOVES: dict[str, set[str]] = {
    ImportState.QUEUED: {ImportState.READING, ImportState.FAILED},
    # Reading leads to checking for a preview, to writing once confirmed.
    ImportState.READING: {ImportState.CHECKING, ImportState.WRITING, ImportState.FAILED},
    ImportState.CHECKING: {ImportState.PREVIEWED, ImportState.FAILED},
    ImportState.PREVIEWED: {ImportState.QUEUED, ImportState.CANCELLED},
    ImportState.WRITING: {ImportState.DONE, ImportState.FAILED},
}


def contact_import_move(
    *, contact_import: ContactImport, to: ImportState, **fields: object
) -> None:
    """Move an import to its next state (refuses other moves, code "bad_state", and
    writing before its uploader confirmed it), saving `fields` with it; a finished
    import records when."""
    allowed = MOVES.get(contact_import.state, set())
    if to == ImportState.WRITING and not contact_import.is_applying:
        allowed = set()
    if to == ImportState.CHECKING and contact_import.is_applying:
        allowed = set()
    if to not in allowed:
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
    """Take a queued import one step: preview it, or apply it all-or-nothing once
    confirmed, keeping its progress and report. An unexpected error marks it failed
    before it is raised again. An import no longer queued is left alone (a task that runs
    twice does nothing the second time)."""
    if contact_import.state != ImportState.QUEUED:
        return contact_import
    storage = storages["private"]
    with translation.override(contact_import.language):
        try:
            _run(contact_import, storage)
        except (UnreadableSpreadsheet, ContactError) as error:
            contact_import_move(
                contact_import=contact_import, to=ImportState.FAILED, error=str(error.message)
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
            if contact_import.is_finished and contact_import.file_path:
                storage.delete(contact_import.file_path)
    return contact_import


def _rows_done(contact_import: ContactImport) -> Callable[[int, int], None]:
    def record(done: int, total: int) -> None:
        ContactImport.objects.filter(pk=contact_import.pk).update(rows_done=done)

    return record


def _run(contact_import: ContactImport, storage: Storage) -> None:
    contact_import_move(contact_import=contact_import, to=ImportState.READING, rows_done=0)
    try:
        handle = storage.open(contact_import.file_path, "rb")
    except FileNotFoundError as error:
        raise ContactError("file_gone", _("The uploaded file is no longer there.")) from error
    with handle, spreadsheet_open(handle) as sheet:
        plan = import_plan(
            sheet=sheet,
            list_name=contact_import.list_name,
            contact_list=contact_import.contact_list,
            progress=lambda done: _rows_done(contact_import)(done, 0),
        )
        with plan:
            if contact_import.is_applying:
                _apply(contact_import, plan)
            else:
                _preview(contact_import, plan)


def _preview(contact_import: ContactImport, plan: ImportPlan) -> None:
    contact_import_move(
        contact_import=contact_import,
        to=ImportState.CHECKING,
        rows_total=plan.rows_total,
        rows_done=0,
    )
    summary = import_preview(plan=plan, progress=_rows_done(contact_import))
    contact_import_move(
        contact_import=contact_import,
        to=ImportState.PREVIEWED,
        rows_done=plan.rows_total,
        counts=summary.counts(),
        report=plan_report(summary),
    )


def _apply(contact_import: ContactImport, plan: ImportPlan) -> None:
    contact_import_move(
        contact_import=contact_import,
        to=ImportState.WRITING,
        rows_total=plan.rows_total,
        rows_done=0,
    )
    with _committed_progress(contact_import) as progress:
        summary = import_apply(plan=plan, progress=progress)
    contact_import_move(
        contact_import=contact_import,
        to=ImportState.DONE,
        rows_done=plan.rows_total,
        counts=summary.counts(),
        report=plan_report(summary),
        contact_list=summary.contact_list,
    )


@contextlib.contextmanager
def _committed_progress(contact_import: ContactImport) -> Iterator[Callable[[int, int], None]]:
    """Record the rows written so far where the status page sees them although the
    import's own transaction is still open: through a second connection to the database.
    SQLite lets one connection write at a time, so there the count moves only once the
    import is done."""
    if connection.vendor != "postgresql":
        yield lambda done, total: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(ContactImport._meta.db_table)

    def record(done: int, total: int) -> None:
        try:
            with side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s WHERE id = %s",  # noqa: S608 - model name
                    [done, contact_import.pk],
                )
        except DatabaseError:
            # Progress is a courtesy: the import itself must not fail for it.
            logger.warning("import %s: progress not recorded", contact_import.pk, exc_info=True)

    try:
        yield record
    finally:
        side.close()
