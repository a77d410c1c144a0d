"""Background tasks of the media file: they take ids and call domain functions."""

from django.tasks import task

from contacts.imports.running import contact_import_run
from contacts.models import ContactImport, Subscription
from contacts.subscriptions import subscription_confirmation_send


@task
def contacts_import_task(import_id: int) -> dict:
    """Apply a queued spreadsheet import (see contacts.imports.running)."""
    contact_import = ContactImport.objects.filter(pk=import_id).first()
    if contact_import is None:
        return {"skipped": "missing"}
    contact_import = contact_import_run(contact_import=contact_import)
    return {"state": contact_import.state, "counts": contact_import.counts}


@task
def subscription_confirmation_task(subscription_id: int) -> dict:
    """Send a newsroom subscription's double opt-in email (contacts.subscriptions)."""
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_at=None).first()
    if subscription is None:
        return {"skipped": "missing or confirmed"}
    subscription_confirmation_send(subscription=subscription)
    return {"sent": subscription.pk}
