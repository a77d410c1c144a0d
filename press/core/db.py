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
