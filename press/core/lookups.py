"""Case-insensitive equality that the indexes on ``Lower(...)`` can serve.

``field__iexact`` compiles to ``UPPER(field) = UPPER(value)`` on PostgreSQL, which the
unique indexes on ``Lower("email")`` and ``Lower("name")`` cannot answer: every lookup
by a journalist's email or an outlet's name then reads the whole table.
"""

from django.db.models import Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact


def same_text(field: str, value: str) -> Exact:
    """``LOWER(field) = LOWER(value)``: the expression of the indexes, so they are used."""
    return Exact(Lower(field), Lower(Value(value)))
