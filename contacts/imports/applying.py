"""Applying an import: each chunk of the plan decided and written with bulk statements,
all chunks in one transaction.

`import_apply` writes a plan; `contacts_import` (open, read, plan, apply or preview) is
what the import_contacts command calls. The back office previews and applies in the
background (contacts.imports.running), through the same functions.
"""

import datetime as dt
import io
from collections.abc import Callable
from typing import IO

from django.db import connection, transaction
from django.utils import timezone

from contacts.enums import ConsentBasis, ContactSource
from contacts.imports.planning import (
    CREATED,
    UPDATED,
    Entry,
    ImportPlan,
    ImportSummary,
    PlanChunk,
    import_plan,
    import_preview,
)
from contacts.imports.reading import spreadsheet_open
from contacts.models import ContactList, Journalist, Outlet
from press.core.db import concrete_field, quoted_column, quoted_table

BATCH = 1000


def _journalist_values(outlets: dict[str, Outlet], values: dict) -> dict:
    fields = {}
    for name, value in values.items():
        if name == "outlet_kind":
            continue
        if name == "outlet" and isinstance(value, str):
            value = outlets[value.lower()]
        fields[name] = value
    return fields


def _insert(journalists: list[Journalist]) -> None:
    """Insert new journalists with one executemany, then read back their ids by
    address. (QuerySet.bulk_create spends most of an import compiling its SQL.)"""
    fields = [field for field in Journalist._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(quoted_column(Journalist, field.name) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quoted_table(Journalist)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - model names
    params = [
        [field.get_db_prep_save(field.pre_save(journalist, True), connection) for field in fields]
        for journalist in journalists
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    ids = dict(
        Journalist.objects.filter(
            email__in=[journalist.email for journalist in journalists]
        ).values_list("email", "pk")
    )
    for journalist in journalists:
        journalist.pk = ids[journalist.email]
        journalist._state.adding = False


def _fill_fields(entries: list[Entry]) -> None:
    """One UPDATE statement per set of filled fields, run for all its rows at once.
    (QuerySet.bulk_update builds a CASE per row and field: ten times slower here.)"""
    groups: dict[tuple[str, ...], list[Journalist]] = {}
    for entry in entries:
        assert entry.journalist is not None  # an update always has its journalist
        groups.setdefault(tuple(sorted(entry.fill)), []).append(entry.journalist)
    table, pk = quoted_table(Journalist), quoted_column(Journalist, "id")
    for names, journalists in groups.items():
        fields = [concrete_field(Journalist, name) for name in (*names, "updated_at")]
        assignments = ", ".join(f"{quoted_column(Journalist, field.name)} = %s" for field in fields)
        sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608 - model names
        params = [
            [
                *(field.get_db_prep_save(getattr(journalist, field.attname), connection)
                  for field in fields),
                journalist.pk,
            ]
            for journalist in journalists
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _write(chunk: PlanChunk, *, contact_list: ContactList | None, now: dt.datetime) -> None:
    """New outlets, new journalists (source "import", legitimate interest recorded now),
    empty fields filled on existing ones, list memberships: one chunk's."""
    Outlet.objects.bulk_create(chunk.new_outlets, batch_size=BATCH)
    created = chunk.with_action(CREATED)
    new_journalists = [
        Journalist(
            email=entry.email,
            source=ContactSource.IMPORT,
            consent_basis=ConsentBasis.LEGITIMATE_INTEREST,
            consent_at=now,
            **_journalist_values(chunk.outlets, entry.values),
        )
        for entry in created
    ]
    for start in range(0, len(new_journalists), BATCH):
        _insert(new_journalists[start : start + BATCH])
    for entry, journalist in zip(created, new_journalists, strict=True):
        entry.journalist = journalist
    changed = [entry for entry in chunk.with_action(UPDATED) if entry.fill]
    for entry in changed:
        assert entry.journalist is not None  # an update always has its journalist
        for name, value in _journalist_values(chunk.outlets, entry.fill).items():
            setattr(entry.journalist, name, value)
        entry.journalist.updated_at = now
    _fill_fields(changed)
    if contact_list is not None:
        through = Journalist.lists.through
        memberships = [
            through(journalist_id=entry.journalist.pk, contactlist_id=contact_list.pk)
            for entry in chunk.entries
            if entry.joins_list and entry.journalist is not None
        ]
        through.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)


def import_apply(
    *,
    plan: ImportPlan,
    progress: Callable[[int, int], None] | None = None,
    listen: Callable[[PlanChunk], None] | None = None,
) -> ImportSummary:
    """Decide and write every chunk of the plan, in one transaction: all or nothing.
    Creates the list to join when it does not exist yet. `progress(rows_done,
    rows_total)` hears about each chunk written, `listen(chunk)` gets its decisions."""
    summary = ImportSummary(plan)
    now = timezone.now()
    with transaction.atomic():
        if plan.list_name and (plan.contact_list is None or plan.contact_list.pk is None):
            plan.contact_list, _created = ContactList.objects.get_or_create(name=plan.list_name)
        for chunk in plan.chunks():
            _write(chunk, contact_list=plan.contact_list, now=now)
            summary.add(chunk)
            if listen:
                listen(chunk)
            if progress:
                progress(chunk.rows_done, plan.rows_total)
    return summary


def contacts_import(
    *,
    data: bytes | IO[bytes],
    list_name: str = "",
    contact_list: ContactList | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    listen: Callable[[PlanChunk], None] | None = None,
) -> ImportSummary:
    """Import a spreadsheet (its bytes, or a seekable binary file) all-or-nothing, or
    with `dry_run` only say what importing it would do. `progress(stage, done, total)`
    hears about "reading" (rows read; total 0), then "checking" (dry run) or "writing".
    Raises UnreadableSpreadsheet (nothing changed) for a file that cannot be read or has
    no email column."""

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(name, done, total)) if progress else None

    def reading(done: int) -> None:
        if progress:
            progress("reading", done, 0)

    file = io.BytesIO(data) if isinstance(data, bytes) else data
    with (
        spreadsheet_open(file) as sheet,
        import_plan(
            sheet=sheet, list_name=list_name, contact_list=contact_list, progress=reading
        ) as plan,
    ):
        if dry_run:
            return import_preview(plan=plan, progress=stage("checking"), listen=listen)
        return import_apply(plan=plan, progress=stage("writing"), listen=listen)
