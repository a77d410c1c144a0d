"""Badge requests as the journalist sends them: the public form, the status page's
corrections, and the outlet and field-visit lookups the form needs."""

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.enums import ConsentBasis, ContactSource
from contacts.journalists import journalist_upsert, outlet_match
from contacts.models import Journalist
from press.accreditation.emails import RECEIVED
from press.accreditation.errors import AccreditationError
from press.accreditation.models import BadgeRequest, FieldVisit
from press.accreditation.notifications import badge_request_notify
from press.core.lookups import same_text
from press.core.storage import private_storage
from press.events.models import Event
from press.mailings.models import Delivery

# The version of the privacy notice (templates/accreditation/privacy.html) that a
# journalist consents to; change it whenever the notice's text changes.
PRIVACY_NOTICE_VERSION = "2024-01"
LINK_RESEND_SECONDS = 3600
# Fields a journalist may set on the form, beyond the files and the field visits.
REQUEST_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "nationality",
    "outlet_name",
    "outlet_kind",
    "outlet_country",
    "outlet_website",
    "role",
    "press_card_number",
    "press_card_country",
    "days",
    "interview_requests",
    "equipment",
    "accessibility_needs",
)


class Submission:
    """What became of a submitted form (badge_request_submit's second value)."""

    CREATED = "created"
    # A request with this address is pending: nothing changed, its owner was mailed
    # their status link instead (only that link changes a request).
    LINK_SENT = "link_sent"


def badge_request_by_token(token: str) -> BadgeRequest | None:
    """The request behind a status link, or None when the token is unknown or expired
    (status links stop working once the event is over)."""
    if not token:
        return None
    return (
        BadgeRequest.objects.select_related("event")
        .filter(token=token, event__ends_on__gte=timezone.localdate())
        .first()
    )


def badge_request_submit(
    *,
    event: Event,
    email: str,
    values: dict[str, Any],
    files: dict[str, File],
    field_visits: Iterable[FieldVisit] = (),
    language: str,
    invitation: Delivery | None = None,
) -> tuple[BadgeRequest, str]:
    """Record a request from the public form; returns (request, Submission.*).

    `values` holds the form's fields (REQUEST_FIELDS), `files` the checked uploads by
    field name. Through an invitation, an empty `email` means the address the
    invitation went to and an empty phone the number on the journalist's record: the
    invitation page never shows them, since its link may have been forwarded.

    One request per email per event: a second submission never changes the first,
    whoever sends it and through whatever link; only the request's private status
    link does (badge_request_update). While the first is still submitted, the second
    mails its owner that link (LINK_SENT, at most once an hour) and changes nothing.
    After a decision it is refused (code "already_decided"), and outside the
    accreditation window too ("closed"); an empty address without an invitation is
    refused ("no_email"). A new request is linked to the journalist record (created if
    new, in the form's language) and gets the confirmation email (CREATED). Emails are
    queued after commit."""
    if not event.accreditation_is_open():
        raise AccreditationError("closed", _("Accreditation is closed."))
    if invitation is not None and invitation.mailing.event_id != event.pk:
        invitation = None
    email, values = _contact_from_invitation(invitation, email=email.strip(), values=values)
    if not email:
        raise AccreditationError("no_email", _("Give the email address to write to you at."))
    arguments: dict[str, Any] = {
        "event": event,
        "email": email,
        "values": values,
        "files": files,
        "field_visits": field_visits,
        "language": language,
        "invitation": invitation,
    }
    try:
        return _submit_once(**arguments)
    except IntegrityError:
        # Two first submissions for one address at the same instant: the database's
        # one-request-per-email constraint let one through; this one is now a second
        # submission, and is handled as such.
        return _submit_once(**arguments)


def _submit_once(
    *,
    event: Event,
    email: str,
    values: dict[str, Any],
    files: dict[str, File],
    field_visits: Iterable[FieldVisit],
    language: str,
    invitation: Delivery | None,
) -> tuple[BadgeRequest, str]:
    with transaction.atomic():
        existing = (
            BadgeRequest.objects.select_for_update()
            .filter(same_text("email", email), event=event)
            .first()
        )
        if existing and not existing.is_editable:
            raise AccreditationError(
                "already_decided",
                _(
                    "A request with this email has already been decided. Its status is on "
                    "the page whose link was in the confirmation email."
                ),
            )
        if existing:
            # At most one such email an hour, so the form cannot be used to flood
            # someone's mailbox from many connections.
            if cache.add(f"accreditation:link-resent:{existing.pk}", True, LINK_RESEND_SECONDS):
                badge_request_notify(
                    badge_request=existing, template=RECEIVED, variant="resubmitted"
                )
            return existing, Submission.LINK_SENT
        badge_request = BadgeRequest(
            event=event,
            email=email,
            language=language,
            consent_at=timezone.now(),
            consent_version=PRIVACY_NOTICE_VERSION,
        )
        if invitation is not None and invitation.mailing.event_id == event.pk:
            badge_request.invitation = invitation
            badge_request.invitation_other_email = not _invited_at(
                invitation, event=event, email=email
            )
        badge_request.journalist = _journalist_for(email=email, values=values, language=language)
        _apply(badge_request, values=values, files=files, field_visits=field_visits)
        badge_request_notify(badge_request=badge_request, template=RECEIVED)
    return badge_request, Submission.CREATED


def badge_request_update(
    *,
    badge_request: BadgeRequest,
    values: dict[str, Any],
    files: dict[str, File],
    field_visits: Iterable[FieldVisit] = (),
) -> BadgeRequest:
    """The journalist corrects a request from the status page; refused once it has been
    decided (code "not_editable"). Sends nothing."""
    with transaction.atomic():
        locked = BadgeRequest.objects.select_for_update().get(pk=badge_request.pk)
        if not locked.is_editable:
            raise AccreditationError(
                "not_editable", _("This request has been decided and can no longer be changed.")
            )
        _apply(locked, values=values, files=files, field_visits=field_visits)
    return locked


def _contact_from_invitation(
    invitation: Delivery | None, *, email: str, values: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The address and phone left empty on an invitation's form, from the record."""
    if invitation is None:
        return email, values
    if not email:
        email = invitation.email.strip()
    journalist = invitation.journalist
    if not values.get("phone") and journalist is not None and journalist.phone:
        values = {**values, "phone": journalist.phone}
    return email, values


def _invited_at(invitation: Delivery | None, *, event: Event, email: str) -> bool:
    """The invitation was sent to `email` for `event`: whoever holds it reads that mailbox."""
    return (
        invitation is not None
        and invitation.mailing.event_id == event.pk
        and invitation.email.strip().lower() == email.strip().lower()
    )


def _apply(
    badge_request: BadgeRequest,
    *,
    values: dict[str, Any],
    files: dict[str, File],
    field_visits: Iterable[FieldVisit],
) -> None:
    for field in REQUEST_FIELDS:
        if field in values:
            setattr(badge_request, field, values[field])
    badge_request.outlet = outlet_match(
        name=badge_request.outlet_name, country=badge_request.outlet_country
    )
    replaced = []
    written: list[str] = []
    try:
        for field, content in files.items():
            if content:
                old = getattr(badge_request, field)
                if old:
                    replaced.append(old.name)
                getattr(badge_request, field).save(content.name, content, save=False)
                written.append(getattr(badge_request, field).name)
    except OSError as error:
        # A full disk or an unwritable private folder: the surrounding transaction is
        # rolled back by the raise, and the files already written go too, so nothing
        # of the request is left half-stored.
        storage = private_storage()
        for name in written:
            storage.delete(name)
        raise AccreditationError(
            "storage_unavailable",
            _(
                "Your files could not be stored just now, so nothing was recorded. "
                "Please try again in a few minutes."
            ),
        ) from error
    badge_request.save()
    badge_request.field_visits.set(field_visits)
    if replaced:
        storage = private_storage()

        def delete_replaced() -> None:
            for name in replaced:
                storage.delete(name)

        transaction.on_commit(delete_replaced)


def _journalist_for(*, email: str, values: dict[str, Any], language: str) -> Journalist:
    outlet = outlet_match(
        name=values.get("outlet_name", ""), country=values.get("outlet_country") or ""
    )
    journalist, _created = journalist_upsert(
        email=email,
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={
            "first_name": values.get("first_name", ""),
            "last_name": values.get("last_name", ""),
            "phone": values.get("phone", ""),
            "country": values.get("outlet_country") or "",
            "outlet": outlet,
            "language": language,
        },
    )
    if journalist.language != language:
        journalist.language = language
        journalist.save(update_fields=["language"])
    return journalist
