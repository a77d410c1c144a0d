"""Background work: tasks are queued only once the data they read is committed."""

from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import Task


def enqueue_on_commit(task: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue `task` with JSON-serialisable arguments after the current transaction
    commits (at once outside a transaction); nothing is queued if it rolls back."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
