"""Personal links to a release: each recipient of a release mailing gets one.

The link (its own 192-bit token) lets its holder read that one release with its files
while the embargo holds; once the release is public it leads to the public page. It
grants nothing else: not another release, not unsubscribing, not the back office. Each
opening before the lift is recorded (who, when), and the release's back-office page
lists them.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from press.releases.enums import ReleaseStatus
from press.releases.models import Release, ReleaseAccess, ReleaseReading

LOOKUP_CHUNK = 900


@dataclass(frozen=True)
class AccessHolder:
    """Who a personal link is for."""

    email: str
    name: str = ""
    journalist_id: int | None = None


def release_access_grant(*, release: Release, holders: Iterable[AccessHolder]) -> dict[str, str]:
    """The personal link token of each holder (by lower-cased address), created for those
    who have none yet for this release; an address keeps its token across mailings of the
    same release. A few queries per call, whatever the number of holders."""
    wanted: dict[str, AccessHolder] = {}
    for holder in holders:
        wanted.setdefault(holder.email.strip().lower(), holder)
    tokens = _tokens(release=release, emails=list(wanted))
    missing = [email for email in wanted if email not in tokens]
    if missing:
        now = timezone.now()
        ReleaseAccess.objects.bulk_create(
            [
                ReleaseAccess(
                    release=release,
                    email=email,
                    name=wanted[email].name[:200],
                    journalist_id=wanted[email].journalist_id,
                    created_at=now,
                )
                for email in missing
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        tokens.update(_tokens(release=release, emails=missing))
    return tokens


def _tokens(*, release: Release, emails: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(emails), LOOKUP_CHUNK):
        found.update(
            ReleaseAccess.objects.filter(
                release=release, email__in=emails[start : start + LOOKUP_CHUNK]
            ).values_list("email", "token")
        )
    return found


def release_access_readable(*, access: ReleaseAccess) -> bool:
    """Whether the link still leads to its release: it does while the release is
    published or scheduled (embargoed or not), not once it is back to draft or archived."""
    return access.release.status in ReleaseStatus.may_be_public()


def release_access_open(*, access: ReleaseAccess, at: dt.datetime | None = None) -> bool:
    """Record an opening of the personal link if the release is still under embargo (or
    not yet at its publication time); returns whether it was, that is whether the reader
    sees the embargoed release rather than the public page. Records nothing for a
    release the link no longer leads to."""
    at = at or timezone.now()
    release = access.release
    if not release_access_readable(access=access) or release.is_public(at):
        return False
    ReleaseReading.objects.create(release=release, access=access, opened_at=at)
    return True
