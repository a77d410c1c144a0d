"""Releases: every status change goes through one function here.

draft → scheduled → published → archived, and unpublish back to draft. Each function
refuses a move the current status does not allow with a ReleaseError carrying a code,
saves with update_fields and records who and when in ReleaseStatusChange. None of them
sends mail: distributing a release is the mailings' business.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from press.core.errors import PresseError
from press.core.typing import StaffMember
from press.releases.enums import ReleaseStatus
from press.releases.models import Release, ReleaseStatusChange, ReleaseVersion

SLUG_MAX_LENGTH = 100


class ReleaseError(PresseError):
    """A status change the release's state does not allow; `code` says which rule."""


Status = ReleaseStatus
# The moves a release may make, by the statuses it may make them from: the functions
# below refuse the others, and the back office offers only these.
MOVES = {
    "publish": {Status.DRAFT, Status.SCHEDULED},
    "schedule": {Status.DRAFT, Status.SCHEDULED},
    "unpublish": {Status.SCHEDULED, Status.PUBLISHED, Status.ARCHIVED},
    "archive": {Status.PUBLISHED},
}


def release_move_is_allowed(status: str, move: str) -> bool:
    return status in MOVES[move]


def _locked(release: Release) -> Release:
    return Release.objects.select_for_update().get(pk=release.pk)


def _require_versions(release: Release) -> None:
    if not release.versions.exists():
        raise ReleaseError(
            "no_versions", _("Write at least one language version before publishing.")
        )


def _move(
    *,
    release: Release,
    to: ReleaseStatus,
    by: StaffMember,
    publish_at: dt.datetime | None,
    now: dt.datetime,
) -> Release:
    """Save the new status and publish time on `release` (and the caller's copy) and
    record the change."""
    change = ReleaseStatusChange(
        release=release,
        from_status=release.status,
        to_status=to,
        publish_at=publish_at,
        changed_at=now,
        changed_by=by,
    )
    release.status = to
    release.publish_at = publish_at
    release.updated_by = by
    release.save(update_fields=["status", "publish_at", "updated_by", "updated_at"])
    change.save()
    return release


def _refresh(target: Release, source: Release) -> Release:
    for field in ("status", "publish_at", "updated_by_id", "updated_at"):
        setattr(target, field, getattr(source, field))
    return target


def release_publish(*, release: Release, by: StaffMember, at: dt.datetime | None = None) -> Release:
    """Publish now (or at a past time `at`, to back-date). Refuses a release that is
    already published, one with no language version, and a time in the future (that is
    release_schedule). An embargo still applies: the release shows once it has passed."""
    now = timezone.now()
    publish_at = at or now
    if publish_at > now:
        raise ReleaseError(
            "publish_time_in_future", _("That time is in the future: schedule the release instead.")
        )
    with transaction.atomic():
        current = _locked(release)
        if not release_move_is_allowed(current.status, "publish"):
            raise ReleaseError(
                "not_publishable",
                _("Only a draft or a scheduled release can be published; this one is %(status)s.")
                % {"status": current.get_status_display().lower()},
            )
        _require_versions(current)
        _move(release=current, to=ReleaseStatus.PUBLISHED, by=by, publish_at=publish_at, now=now)
    return _refresh(release, current)


def release_schedule(*, release: Release, by: StaffMember, at: dt.datetime) -> Release:
    """Publish automatically at the future time `at`: the newsroom's query shows the
    release from then on, no job has to run. A scheduled release may be rescheduled.
    Refuses a time in the past, a release with no version, a published or archived one."""
    now = timezone.now()
    if at is None or at <= now:
        raise ReleaseError("schedule_time_in_past", _("Choose a publication time in the future."))
    with transaction.atomic():
        current = _locked(release)
        if not release_move_is_allowed(current.status, "schedule"):
            raise ReleaseError(
                "not_schedulable",
                _("Only a draft or a scheduled release can be scheduled; this one is %(status)s.")
                % {"status": current.get_status_display().lower()},
            )
        _require_versions(current)
        _move(release=current, to=ReleaseStatus.SCHEDULED, by=by, publish_at=at, now=now)
    return _refresh(release, current)


def release_unpublish(*, release: Release, by: StaffMember) -> Release:
    """Back to draft, off the newsroom and its feed at once; the publish time is cleared.
    Refuses a release that is already a draft."""
    now = timezone.now()
    with transaction.atomic():
        current = _locked(release)
        if not release_move_is_allowed(current.status, "unpublish"):
            raise ReleaseError("already_draft", _("This release is already a draft."))
        _move(release=current, to=ReleaseStatus.DRAFT, by=by, publish_at=None, now=now)
    return _refresh(release, current)


def release_archive(*, release: Release, by: StaffMember) -> Release:
    """Take a published release off the newsroom while keeping it in the back office.
    Refuses anything not published."""
    now = timezone.now()
    with transaction.atomic():
        current = _locked(release)
        if not release_move_is_allowed(current.status, "archive"):
            raise ReleaseError(
                "not_archivable",
                _("Only a published release can be archived; this one is %(status)s.")
                % {"status": current.get_status_display().lower()},
            )
        _move(
            release=current,
            to=ReleaseStatus.ARCHIVED,
            by=by,
            publish_at=current.publish_at,
            now=now,
        )
    return _refresh(release, current)


def version_slug(*, title: str, language: str, exclude_pk: int | None = None) -> str:
    """A slug for `title` that no other version in `language` uses yet."""
    base = (slugify(title) or "communique")[:SLUG_MAX_LENGTH].strip("-") or "communique"
    others = ReleaseVersion.objects.filter(language=language, slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
        number += 1
    return slug
