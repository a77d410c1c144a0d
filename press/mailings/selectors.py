"""Reads of the mailings area that other modules share."""

from press.mailings.models import Mailing


def mailing_locked(mailing: Mailing) -> Mailing:
    """The mailing's row, locked until the transaction ends (call inside one)."""
    return (
        Mailing.objects.select_for_update(of=("self",))
        .select_related("release", "event")
        .get(pk=mailing.pk)
    )
