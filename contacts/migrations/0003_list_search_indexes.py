"""Indexes for the journalist and outlet lists at volume: country (the filter walks
it), and on PostgreSQL the journalist list's default order (erased
journalists last), and trigram indexes that serve the search's UPPER(…) LIKE '%word%'
on names and addresses. pg_trgm is created when the database allows it (it is a
trusted extension: the database owner may); without it the search still works, by
scanning. SQLite (development) gets neither."""

from django.db import DatabaseError, migrations, models

TRIGRAM_COLUMNS = ("first_name", "last_name", "email")


def _has_trigram(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        cursor.execute("SAVEPOINT presse_trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            # Not installed, or not allowed here: the search scans instead.
            cursor.execute("ROLLBACK TO SAVEPOINT presse_trgm")
            return False
        cursor.execute("RELEASE SAVEPOINT presse_trgm")
        return True


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS journalist_list_order ON contacts_journalist "
        "(erased_at ASC NULLS FIRST, last_name, first_name, id)"
    )
    if _has_trigram(schema_editor):
        for column in TRIGRAM_COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS journalist_{column}_trgm ON contacts_journalist "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS journalist_{column}_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS journalist_list_order")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_import_preview")]

    operations = [
        migrations.AddIndex(
            model_name="journalist",
            index=models.Index(fields=["country"], name="journalist_country"),
        ),
        migrations.AddIndex(
            model_name="outlet",
            index=models.Index(fields=["country"], name="outlet_country"),
        ),
        migrations.RunPython(create, drop),
    ]
