"""Who may be mailed: the one rule, used by mailings, the importer and the back office.

An address may not be mailed when its journalist unsubscribed, bounced, complained or
was erased, or when its hash is on the suppression list (what an erasure leaves
behind). A journalist created or changed with such an address inherits the list's
suppression, so an erased person is never mailed again by accident.

Only one thing makes such an address mailable again: the journalist's own confirmed
newsroom subscription (`suppression_lift_on_subscription`, called by
contacts.subscriptions). Confirming from the emailed link is a new, explicit consent
and proves the mailbox receives mail, so it lifts every reason, an erasure included.
No import, back-office edit or accreditation request ever does.
"""

import datetime as dt
from collections.abc import Iterable

from contacts.cleaning import email_normalise
from contacts.enums import SuppressionReason
from contacts.models import Journalist, Suppression, email_digest

LOOKUP_CHUNK = 900
# Why an address is left out when only its hash is on the list (the journalist row
# itself says nothing): typically a new record made for an erased person's address.
ON_SUPPRESSION_LIST = "suppression_list"


def suppression_reasons(emails: Iterable[str]) -> dict[str, str]:
    """The suppression list's reason for each of these addresses' digests that is on it
    (one query per 900 addresses)."""
    digests = sorted({email_digest(email) for email in emails})
    found: dict[str, str] = {}
    for start in range(0, len(digests), LOOKUP_CHUNK):
        chunk = digests[start : start + LOOKUP_CHUNK]
        found.update(
            Suppression.objects.filter(email_hash__in=chunk).values_list("email_hash", "reason")
        )
    return found


def suppressed_digests(emails: Iterable[str]) -> set[str]:
    """Which of these addresses' digests are on the suppression list."""
    return set(suppression_reasons(emails))


def mailing_exclusion(
    *,
    suppressed_at: dt.datetime | None,
    suppression_reason: str,
    erased_at: dt.datetime | None,
    listed_reason: str | None,
) -> str | None:
    """Why a journalist must not be mailed (a SuppressionReason, or ON_SUPPRESSION_LIST),
    or None when they may be: the rule itself, on plain values so that a list of
    thousands is checked from one query."""
    if erased_at is not None:
        return SuppressionReason.ERASED
    if suppressed_at is not None:
        return suppression_reason or SuppressionReason.UNSUBSCRIBED
    if listed_reason is not None:
        return ON_SUPPRESSION_LIST
    return None


def journalist_exclusion(
    journalist: Journalist, *, listed: dict[str, str] | None = None
) -> str | None:
    """mailing_exclusion for one journalist; `listed` is suppression_reasons() of a batch
    (looked up for this address alone when not given)."""
    if listed is None:
        listed = suppression_reasons([journalist.email])
    return mailing_exclusion(
        suppressed_at=journalist.suppressed_at,
        suppression_reason=journalist.suppression_reason,
        erased_at=journalist.erased_at,
        listed_reason=listed.get(email_digest(journalist.email)),
    )


def address_suppression(email: str) -> str | None:
    """The suppression list's reason for this address (any case), or None."""
    return suppression_reasons([email_normalise(email)]).get(email_digest(email_normalise(email)))


def suppression_inherit(journalist: Journalist, *, at: dt.datetime) -> bool:
    """A journalist (about to be saved) whose address is on the suppression list becomes
    suppressed with the list's reason; one already suppressed keeps theirs. Returns
    whether it changed anything."""
    if journalist.suppressed_at is not None or journalist.erased_at is not None:
        return False
    reason = address_suppression(journalist.email)
    if reason is None:
        return False
    journalist.suppressed_at = at
    journalist.suppression_reason = reason
    return True


def suppression_lift_on_subscription(*, email: str, journalist: Journalist | None) -> None:
    """The address's owner confirmed a newsroom subscription: take its hash off the
    suppression list and clear the journalist's suppression. The one way back."""
    Suppression.objects.filter(email_hash=email_digest(email_normalise(email))).delete()
    if journalist is not None and journalist.erased_at is None:
        journalist.suppressed_at = None
        journalist.suppression_reason = ""
