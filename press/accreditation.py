"""Accreditation: how a journalist's badge request is received, reviewed and decided.

Views, admin actions, commands and tasks all call these functions. Each state change
goes through one function that refuses a move the state does not allow
(AccreditationError with a code), saves with update_fields, records who, when, from,
to and a note, and queues the matching email once the transaction commits.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.enums import ConsentBasis, ContactSource
from contacts.models import Outlet
from press.models import Event
from press.models.accreditation import (
    AccreditationSettings,
    BadgeRequest,
    BadgeRequestState,
    BadgeRequestTransition,
    FieldVisit,
)
from press.queue import enqueue_on_commit
from press.translated import pick

# The version of the privacy notice (templates/accreditation/privacy.html) that a
# journalist consents to; change it whenever the notice's text changes.
PRIVACY_NOTICE_VERSION = "2024-01"
INVITATION_KIND = "invitation"
IDENTITY_DOCUMENTS = ("press_card", "letter")

State = BadgeRequestState
ALLOWED_MOVES = {
    State.SUBMITTED: {State.APPROVED, State.WAITLISTED, State.REJECTED},
    State.WAITLISTED: {State.APPROVED, State.REJECTED},
}
EMAIL_FOR_STATE = {
    State.APPROVED: "accreditation_approved",
    State.WAITLISTED: "accreditation_waitlisted",
    State.REJECTED: "accreditation_rejected",
    State.WITHDRAWN: "accreditation_withdrawn",
    State.CANCELLED: "accreditation_cancelled",
}
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


class AccreditationError(Exception):
    """A refused accreditation action; `code` is machine-readable, the text is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# Reading ---------------------------------------------------------------------------


def invitation_find(*, token: str, event: Event):
    """The invitation delivery carrying `token` for `event`, or None. Tokens expire with
    the accreditation window: outside it no invitation is found."""
    from press.models.mailings import Delivery

    if not token or not event.accreditation_is_open():
        return None
    return (
        Delivery.objects.select_related("journalist", "journalist__outlet", "mailing")
        .filter(token=token, mailing__kind=INVITATION_KIND, mailing__event=event)
        .first()
    )


def invitation_followed(*, delivery) -> None:
    """The journalist opened the form through their invitation link: the delivery counts
    as clicked even when the provider does not track clicks. Repeating it is harmless."""
    from press.mailings.enums import DeliveryState
    from press.mailings.tracking import delivery_advance
    from press.models.mailings import Delivery

    with transaction.atomic():
        locked = Delivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
        delivery_advance(
            delivery=locked, state=DeliveryState.CLICKED, at=timezone.now(), field="clicked_at"
        )


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


def outlet_match(*, name: str, country: str) -> Outlet | None:
    """The known outlet a journalist typed: same name (any case) and country, or the only
    outlet with that name."""
    name = name.strip()
    if not name:
        return None
    outlet = Outlet.objects.filter(name__iexact=name, country=country).first()
    if outlet:
        return outlet
    candidates = list(Outlet.objects.filter(name__iexact=name)[:2])
    return candidates[0] if len(candidates) == 1 else None


def field_visits_full(*, event: Event) -> set[int]:
    """Ids of the event's field visits whose press places are all approved."""
    visits = FieldVisit.objects.filter(event=event, capacity__gt=0).annotate(
        taken=Count("badge_requests", filter=Q(badge_requests__state=State.APPROVED))
    )
    return {visit.pk for visit in visits if visit.taken >= visit.capacity}


def status_url(request: BadgeRequest) -> str:
    """The absolute private status link, in the request's language."""
    with translation.override(request.language):
        path = reverse("accreditation:status", kwargs={"token": request.token})
    return f"{settings.SITE_URL}{path}"


def invitation_states(*, event: Event) -> list[dict]:
    """Every invitation sent for `event` with how far it went: sent, opened, clicked,
    requested (a badge request exists for that journalist or address)."""
    from press.models.mailings import Delivery

    requested_emails = set(
        BadgeRequest.objects.filter(event=event)
        .annotate(email_ci=Lower("email"))
        .values_list("email_ci", flat=True)
    )
    requested_journalists = set(
        BadgeRequest.objects.filter(event=event, journalist__isnull=False).values_list(
            "journalist_id", flat=True
        )
    )
    rows = []
    deliveries = Delivery.objects.filter(
        mailing__kind=INVITATION_KIND, mailing__event=event, sent_at__isnull=False
    ).order_by("email", "pk")
    for delivery in deliveries:
        if (
            delivery.journalist_id in requested_journalists
            or delivery.email.lower() in requested_emails
        ):
            state = "requested"
        elif delivery.clicked_at:
            state = "clicked"
        elif delivery.opened_at:
            state = "opened"
        else:
            state = "sent"
        rows.append({"delivery": delivery, "state": state})
    return rows


def invitation_reminder_create(*, event: Event, by):
    """A draft invitation mailing for `event` to the invited journalists who have not
    sent a request yet (and may still be mailed), with the last invitation's subject
    and text; the office reviews and sends it like any mailing. None when nobody is
    left to remind or nothing was ever sent."""
    from contacts.models import Journalist
    from press.models.mailings import Mailing

    last = (
        Mailing.objects.filter(kind=INVITATION_KIND, event=event).order_by("-created_at", "-pk")
    ).first()
    waiting = {
        row["delivery"].journalist_id
        for row in invitation_states(event=event)
        if row["state"] != "requested" and row["delivery"].journalist_id
    }
    journalists = Journalist.objects.mailable().filter(pk__in=waiting)
    if last is None or not journalists.exists():
        return None
    subject = {}
    for language, text in (last.subject or {}).items():
        with translation.override(language):
            subject[language] = _("Reminder: %(subject)s") % {"subject": text}
    with transaction.atomic():
        mailing = Mailing.objects.create(
            kind=INVITATION_KIND,
            event=event,
            subject=subject,
            message=last.message,
            sender_name=last.sender_name,
            sender_email=last.sender_email,
            reply_to=last.reply_to,
            created_by=by,
        )
        mailing.journalists.set(journalists)
    return mailing


# Submission by the journalist ------------------------------------------------------


def badge_request_submit(
    *,
    event: Event,
    email: str,
    values: dict,
    files: dict,
    field_visits=(),
    language: str,
    invitation=None,
) -> tuple[BadgeRequest, bool]:
    """Record a request from the public form; returns (request, created).

    `values` holds the form's fields (REQUEST_FIELDS), `files` the checked uploads by
    field name. A second submission with the same email for the same event while the
    first is still submitted updates it; after a decision it is refused
    (code "already_decided"), and outside the accreditation window too ("closed").
    The request is linked to the journalist record (created if new, in the form's
    language). Queues the confirmation email (received) after commit."""
    if not event.accreditation_is_open():
        raise AccreditationError("closed", _("Accreditation is closed."))
    email = email.strip()
    with transaction.atomic():
        existing = (
            BadgeRequest.objects.select_for_update()
            .filter(event=event, email__iexact=email)
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
            existing.language = language
            _apply(existing, values=values, files=files, field_visits=field_visits)
            enqueue_on_commit(_email_task(), existing.pk, "accreditation_received", updated=True)
            return existing, False
        badge_request = BadgeRequest(
            event=event,
            email=email,
            language=language,
            consent_at=timezone.now(),
            consent_version=PRIVACY_NOTICE_VERSION,
        )
        _link_invitation(badge_request, invitation=invitation, event=event)
        badge_request.journalist = _journalist_for(email=email, values=values, language=language)
        _apply(badge_request, values=values, files=files, field_visits=field_visits)
        enqueue_on_commit(_email_task(), badge_request.pk, "accreditation_received")
    return badge_request, True


def badge_request_update(
    *, request: BadgeRequest, values: dict, files: dict, field_visits=()
) -> BadgeRequest:
    """The journalist corrects a request from the status page; refused once it has been
    decided (code "not_editable"). Sends nothing."""
    with transaction.atomic():
        locked = BadgeRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_editable:
            raise AccreditationError(
                "not_editable", _("This request has been decided and can no longer be changed.")
            )
        _apply(locked, values=values, files=files, field_visits=field_visits)
    return locked


def _apply(badge_request: BadgeRequest, *, values: dict, files: dict, field_visits) -> None:
    for field in REQUEST_FIELDS:
        if field in values:
            setattr(badge_request, field, values[field])
    badge_request.outlet = outlet_match(
        name=badge_request.outlet_name, country=badge_request.outlet_country
    )
    replaced = []
    for field, content in files.items():
        if content:
            old = getattr(badge_request, field)
            if old:
                replaced.append(old.name)
            getattr(badge_request, field).save(content.name, content, save=False)
    badge_request.save()
    badge_request.field_visits.set(field_visits)
    if replaced:
        storage = BadgeRequest._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in replaced])


def _link_invitation(badge_request: BadgeRequest, *, invitation, event: Event) -> None:
    if invitation is None:
        return
    if invitation.mailing.event_id != event.pk:
        return
    badge_request.invitation = invitation
    badge_request.invitation_other_email = (
        invitation.email.strip().lower() != badge_request.email.lower()
    )


def _journalist_for(*, email: str, values: dict, language: str):
    from contacts.journalists import journalist_upsert

    outlet = outlet_match(name=values.get("outlet_name", ""), country=values.get("outlet_country"))
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


# Decisions -------------------------------------------------------------------------


def accreditation_approve(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Approve a submitted or waitlisted request. Refuses, under a lock on the event so
    that reviewers approving at once never exceed a limit: when the event's press
    capacity is reached ("press_capacity"), when the outlet already has its number of
    badges ("outlet_limit"), when a chosen field visit is full ("field_visit_full").
    Queues the approval email with the practical information and a calendar file."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=request.event_id)
        locked = _locked(request)
        _check_move(locked, State.APPROVED)
        _check_capacity(locked, event)
        return _move(locked, to=State.APPROVED, by=by, note=note)


def accreditation_waitlist(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Put a submitted request on the waiting list; queues the waitlisted email."""
    with transaction.atomic():
        locked = _locked(request)
        _check_move(locked, State.WAITLISTED)
        return _move(locked, to=State.WAITLISTED, by=by, note=note)


def accreditation_reject(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Reject a submitted or waitlisted request; the note is the reason the journalist
    reads in the rejection email."""
    with transaction.atomic():
        locked = _locked(request)
        _check_move(locked, State.REJECTED)
        return _move(locked, to=State.REJECTED, by=by, note=note)


def accreditation_withdraw(*, request: BadgeRequest, by=None, note: str = "") -> BadgeRequest:
    """The journalist withdraws a request that is still active (submitted, waitlisted or
    approved); `by` is None when the journalist does it from the status page."""
    with transaction.atomic():
        locked = _locked(request)
        _check_move(locked, State.WITHDRAWN)
        return _move(locked, to=State.WITHDRAWN, by=by, note=note)


def accreditation_cancel(*, request: BadgeRequest, by, note: str = "") -> BadgeRequest:
    """Staff cancel a request that is still active; the journalist is told."""
    with transaction.atomic():
        locked = _locked(request)
        _check_move(locked, State.CANCELLED)
        return _move(locked, to=State.CANCELLED, by=by, note=note)


ACTIONS = {
    State.APPROVED: accreditation_approve,
    State.WAITLISTED: accreditation_waitlist,
    State.REJECTED: accreditation_reject,
    State.CANCELLED: accreditation_cancel,
}


def move_is_allowed(from_state: str, to_state: str) -> bool:
    if to_state in (State.WITHDRAWN, State.CANCELLED):
        return from_state in State.active()
    return to_state in ALLOWED_MOVES.get(from_state, set())


def _locked(request: BadgeRequest) -> BadgeRequest:
    return (
        BadgeRequest.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=request.pk)
    )


def _check_move(request: BadgeRequest, to_state: str) -> None:
    if not move_is_allowed(request.state, to_state):
        raise AccreditationError(
            "not_allowed",
            _("A request that is %(from)s cannot become %(to)s.")
            % {
                "from": State(request.state).label.lower(),
                "to": State(to_state).label.lower(),
            },
        )


def _check_capacity(request: BadgeRequest, event: Event) -> None:
    approved = BadgeRequest.objects.filter(event=event, state=State.APPROVED).exclude(pk=request.pk)
    if event.press_capacity and approved.count() >= event.press_capacity:
        raise AccreditationError(
            "press_capacity",
            _("The press capacity of %(capacity)s badges is reached.")
            % {"capacity": event.press_capacity},
        )
    if event.per_outlet_limit:
        if request.outlet_id:
            same_outlet = approved.filter(outlet_id=request.outlet_id)
        else:
            same_outlet = approved.filter(
                outlet__isnull=True,
                outlet_name__iexact=request.outlet_name,
                outlet_country=request.outlet_country,
            )
        if same_outlet.count() >= event.per_outlet_limit:
            raise AccreditationError(
                "outlet_limit",
                _("%(outlet)s already has %(limit)s approved badges, the limit per outlet.")
                % {"outlet": request.outlet_name, "limit": event.per_outlet_limit},
            )
    visits = FieldVisit.objects.select_for_update().filter(
        pk__in=request.field_visits.values("pk"), capacity__gt=0
    )
    for visit in visits:
        taken = visit.badge_requests.filter(state=State.APPROVED).exclude(pk=request.pk).count()
        if taken >= visit.capacity:
            raise AccreditationError(
                "field_visit_full",
                _("The field visit “%(visit)s” is full (%(capacity)s places).")
                % {"visit": visit.display_name(), "capacity": visit.capacity},
            )


def _move(request: BadgeRequest, *, to: str, by, note: str) -> BadgeRequest:
    from_state = request.state
    request.state = to
    fields = ["state", "updated_at"]
    if by is not None or to != State.WITHDRAWN:
        request.decided_at = timezone.now()
        request.decided_by = by
        request.decision_note = note
        fields += ["decided_at", "decided_by", "decision_note"]
    request.save(update_fields=fields)
    BadgeRequestTransition.objects.create(
        request=request, from_state=from_state, to_state=to, by=by, note=note
    )
    enqueue_on_commit(_email_task(), request.pk, EMAIL_FOR_STATE[to])
    return request


# Emails ----------------------------------------------------------------------------


def _email_task():
    from press.accreditation_tasks import badge_request_email

    return badge_request_email


def badge_request_email_send(*, request: BadgeRequest, template: str, updated: bool = False):
    """Send one of the accreditation emails to the journalist, in the request's
    language; the approval carries the badge collection as an .ics calendar file."""
    from press.accreditation_calendar import badge_collection_ics
    from press.emails import send_email

    practical = AccreditationSettings.objects.filter(event=request.event).first()
    language = request.language
    attachments = []
    if template == EMAIL_FOR_STATE[State.APPROVED]:
        attachments.append(
            (
                "badge.ics",
                badge_collection_ics(request=request, practical=practical),
                "text/calendar",
            )
        )
    return send_email(
        template=template,
        to=request.email,
        language=language,
        context={
            "request": request,
            "event": request.event,
            "status_url": status_url(request),
            "pickup_place": pick(practical.badge_pickup_place, language) if practical else "",
            "pickup_hours": pick(practical.badge_pickup_hours, language) if practical else "",
            "practical_information": (
                pick(practical.practical_information, language) if practical else ""
            ),
            "updated": updated,
        },
        attachments=attachments,
        reply_to=[request.event.press_email],
        tags=["accreditation", template],
    )


# Privacy ---------------------------------------------------------------------------


def purge_due_on(event: Event) -> dt.date:
    """The first day identity documents of `event` may be deleted."""
    return event.ends_on + dt.timedelta(days=settings.IDENTITY_DOCUMENT_RETENTION_DAYS)


def identity_documents_purge(*, event: Event, include_photos: bool = False) -> dict:
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


def _delete_files(badge_request: BadgeRequest, kinds) -> list[str]:
    cleared = []
    for kind in kinds:
        file = getattr(badge_request, kind)
        if file:
            file.storage.delete(file.name)
            setattr(badge_request, kind, "")
            cleared.append(kind)
    return cleared


def badge_requests_erase(*, journalist) -> int:
    """Delete a journalist's badge requests and their files (GDPR erasure)."""
    requests = list(BadgeRequest.objects.filter(journalist=journalist))
    requests += list(
        BadgeRequest.objects.filter(email__iexact=journalist.email).exclude(journalist=journalist)
    )
    for badge_request in requests:
        _delete_files(badge_request, ("photo", *IDENTITY_DOCUMENTS))
        badge_request.delete()
    return len(requests)


def badge_requests_personal_data(journalist) -> tuple[str, list]:
    """The accreditation section of a subject access export."""
    data = []
    requests = (
        BadgeRequest.objects.filter(Q(journalist=journalist) | Q(email__iexact=journalist.email))
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
