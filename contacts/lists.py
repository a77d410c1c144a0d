"""List membership in bulk: the back office's add to / remove from list actions."""

from django.db import transaction
from django.db.models import QuerySet

from contacts.models import ContactList, Journalist


def list_add_journalists(*, contact_list: ContactList, journalists: QuerySet[Journalist]) -> int:
    """Put the journalists (a queryset) on the list; erased ones are left out.
    Returns how many were not on it before."""
    through = Journalist.lists.through
    with transaction.atomic():
        already = set(
            through.objects.filter(contactlist=contact_list).values_list("journalist_id", flat=True)
        )
        ids = journalists.filter(erased_at__isnull=True).values_list("pk", flat=True)
        rows = [
            through(journalist_id=pk, contactlist_id=contact_list.pk)
            for pk in ids
            if pk not in already
        ]
        through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def list_remove_journalists(*, contact_list: ContactList, journalists: QuerySet[Journalist]) -> int:
    """Take the journalists (a queryset) off the list. Returns how many were on it."""
    through = Journalist.lists.through
    deleted, _by_model = through.objects.filter(
        contactlist=contact_list, journalist_id__in=journalists.values("pk")
    ).delete()
    return deleted
