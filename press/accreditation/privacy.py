"""Accreditation and personal data: purging identity documents after an event,
erasure, and the accreditation section of a subject access export."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Journalist

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
from press.accreditation.errors import AccreditationError
from press.accreditation.models import BadgeRequest
from press.core.lookups import same_text
from press.events.models import Event

IDENTITY_DOCUMENTS = ("press_card", "letter")
IDENTITY_DOCUMENTS_PERMISSION = "accreditation.open_identity_documents"


def document_may_open(*, user: "User | AnonymousUser", kind: str) -> bool:
    """May this staff member open a request's `kind` of file? Anyone who may view badge
    requests sees the photo (it is printed on the badge); press cards and letters need
    the identity documents permission (press officers and reviewers, not viewers)."""
    if not (user.is_active and user.is_staff and user.has_perm("accreditation.view_badgerequest")):
        return False
    if kind in IDENTITY_DOCUMENTS:
        return user.has_perm(IDENTITY_DOCUMENTS_PERMISSION)
    return True


def purge_due_on(event: Event) -> dt.date:
    """The first day identity documents of `event` may be deleted."""
    return event.ends_on + dt.timedelta(days=settings.IDENTITY_DOCUMENT_RETENTION_DAYS)


def identity_documents_purge(*, event: Event, include_photos: bool = False) -> dict[str, int]:
    """Delete the press cards and letters (and photos if asked) of a finished event once
    its retention period has passed; keeps every other detail of the requests.
    Refuses earlier (code "too_early"). Returns the number of files removed by kind."""
    due = purge_due_on(event)
    if timezone.localdate() < due:
        raise AccreditationError(
            "too_early",
            _("Identity documents of %(event)s may be deleted from %(date)s.")
            % {"event": event.display_name(), "date": due.isoformat()},
        )
    kinds = IDENTITY_DOCUMENTS + (("photo",) if include_photos else ())
    removed = dict.fromkeys(kinds, 0)
    holding = Q()
    for kind in kinds:
        holding |= ~Q(**{kind: ""})
    requests = BadgeRequest.objects.filter(holding, event=event)
    for badge_request in requests.iterator():
        cleared = _delete_files(badge_request, kinds)
        for kind in cleared:
            removed[kind] += 1
        badge_request.documents_purged_at = timezone.now()
        badge_request.save(update_fields=[*cleared, "documents_purged_at"])
    return removed


def _delete_files(badge_request: BadgeRequest, kinds: tuple[str, ...]) -> list[str]:
    cleared = []
    for kind in kinds:
        file = getattr(badge_request, kind)
        if file:
            file.storage.delete(file.name)
            setattr(badge_request, kind, "")
            cleared.append(kind)
    return cleared


def badge_requests_erase(*, journalist: Journalist) -> int:
    """Delete a journalist's badge requests (GDPR erasure); their files are deleted once
    the erasure commits, so an erasure that rolls back loses nothing."""
    badge_requests = list(BadgeRequest.objects.filter(journalist=journalist))
    badge_requests += list(
        BadgeRequest.objects.filter(same_text("email", journalist.email)).exclude(
            journalist=journalist
        )
    )
    files = [
        (file.storage, file.name)
        for badge_request in badge_requests
        for file in badge_request.documents().values()
    ]
    for badge_request in badge_requests:
        badge_request.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return len(badge_requests)


def badge_requests_personal_data(journalist: Journalist) -> tuple[str, list[dict[str, Any]]]:
    """The accreditation section of a subject access export."""
    data = []
    requests = (
        BadgeRequest.objects.filter(
            Q(journalist=journalist) | Q(same_text("email", journalist.email))
        )
        .select_related("event")
        .prefetch_related("field_visits", "transitions")
    )
    for badge_request in requests:
        data.append(
            {
                "event": badge_request.event.slug,
                "state": badge_request.state,
                "submitted_at": badge_request.submitted_at.isoformat(),
                "first_name": badge_request.first_name,
                "last_name": badge_request.last_name,
                "email": badge_request.email,
                "phone": badge_request.phone,
                "nationality": str(badge_request.nationality),
                "outlet": badge_request.outlet_name,
                "role": badge_request.role,
                "press_card_number": badge_request.press_card_number,
                "days": badge_request.days,
                "field_visits": [v.display_name() for v in badge_request.field_visits.all()],
                "interview_requests": badge_request.interview_requests,
                "equipment": badge_request.equipment,
                "accessibility_needs": badge_request.accessibility_needs,
                "documents_held": sorted(badge_request.documents()),
                "consent_at": badge_request.consent_at.isoformat(),
                "consent_version": badge_request.consent_version,
                "history": [
                    {"from": t.from_state, "to": t.to_state, "at": t.at.isoformat()}
                    for t in badge_request.transitions.all()
                ],
            }
        )
    return "accreditation", data
