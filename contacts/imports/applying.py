"""Applying an import plan in one transaction, with bulk writes.

`import_apply` writes a plan; `contacts_import` (read, plan, apply) is what the
import_contacts command calls. The back office previews with import_plan and applies
in the background (contacts.imports.running), through import_apply too.
"""

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from contacts.enums import ConsentBasis, ContactSource
from contacts.imports.planning import Entry, ImportPlan, import_plan
from contacts.imports.reading import spreadsheet_read
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


def import_apply(
    *, plan: ImportPlan, progress: Callable[[int, int], None] | None = None
) -> ImportPlan:
    """Write the plan: new outlets, new journalists (source "import", legitimate
    interest recorded now), empty fields filled on existing ones, list memberships.
    All or nothing: call it inside the transaction that made the plan."""
    now = timezone.now()
    created, updated = plan.created, plan.updated
    total = len(created) + len(updated)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress and count:
            progress(done, total)

    with transaction.atomic():
        contact_list = plan.contact_list
        if plan.list_name and (contact_list is None or contact_list.pk is None):
            contact_list, _created = ContactList.objects.get_or_create(name=plan.list_name)
            plan.contact_list = contact_list
        Outlet.objects.bulk_create(plan.new_outlets, batch_size=BATCH)
        new_journalists = [
            Journalist(
                email=entry.email,
                source=ContactSource.IMPORT,
                consent_basis=ConsentBasis.LEGITIMATE_INTEREST,
                consent_at=now,
                **_journalist_values(plan.outlets, entry.values),
            )
            for entry in created
        ]
        for start in range(0, len(new_journalists), BATCH):
            batch = new_journalists[start : start + BATCH]
            _insert(batch)
            advance(len(batch))
        for entry, journalist in zip(created, new_journalists, strict=True):
            entry.journalist = journalist
        changed = [entry for entry in updated if entry.fill]
        for entry in changed:
            assert entry.journalist is not None  # an update always has its journalist
            for name, value in _journalist_values(plan.outlets, entry.fill).items():
                setattr(entry.journalist, name, value)
            entry.journalist.updated_at = now
        _fill_fields(changed)
        advance(len(updated))
        if contact_list is not None:
            through = Journalist.lists.through
            memberships = [
                through(journalist_id=entry.journalist.pk, contactlist_id=contact_list.pk)
                for entry in plan.entries
                if entry.joins_list and entry.journalist is not None
            ]
            through.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)
    return plan


def contacts_import(
    *,
    data: bytes,
    list_name: str = "",
    contact_list: ContactList | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportPlan:
    """Read a spreadsheet (xlsx or csv bytes), plan the import and, unless `dry_run`,
    apply it all-or-nothing; `progress(stage, done, total)` hears about rows checked
    (stage "checking") and journalists written ("writing"). Raises UnreadableSpreadsheet
    (nothing changed) for a file that cannot be read or has no email column. Returns
    the plan, which is the report."""

    def stage(name: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(name, done, total)) if progress else None

    rows = spreadsheet_read(data)
    if dry_run:
        return import_plan(
            rows=rows, list_name=list_name, contact_list=contact_list, progress=stage("checking")
        )
    with transaction.atomic():
        plan = import_plan(
            rows=rows, list_name=list_name, contact_list=contact_list, progress=stage("checking")
        )
        return import_apply(plan=plan, progress=stage("writing"))
