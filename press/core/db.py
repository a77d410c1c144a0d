"""Small helpers for the few statements written by hand for speed (bulk inserts and
updates whose ORM form costs more than the work)."""

from typing import Any

from django.db import connection
from django.db.models import Field, Model


def concrete_field(model: type[Model], name: str) -> Field[Any, Any]:
    """The model's column-backed field `name`."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise LookupError(f"{model.__name__}.{name} has no column")
    return field


def quoted_column(model: type[Model], name: str) -> str:
    """The database column of `model.name`, quoted for this connection."""
    column = concrete_field(model, name).column
    assert column is not None  # checked by concrete_field
    return connection.ops.quote_name(column)


def quoted_table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def distinct_values(model: type[Model], name: str) -> list[str]:
    """The distinct non-empty values of a column, walked through its index one value at
    a time (a recursive query: as many index probes as values, where SELECT DISTINCT
    reads every row). The column needs an index."""
    table, column = quoted_table(model), quoted_column(model, name)
    sql = (
        f"WITH RECURSIVE walk(value) AS ("  # noqa: S608 - model names
        f" SELECT MIN({column}) FROM {table} WHERE {column} > ''"
        f" UNION ALL"
        f" SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > walk.value)"
        f" FROM walk WHERE walk.value IS NOT NULL"
        f") SELECT value FROM walk WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]
