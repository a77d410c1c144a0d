"""Scanning a badge at the desk, and holding a journalist for the press office.

checkin_scan is the one way a journalist is checked in. Like pretix's perform_checkin
it locks the badge request's row, so two desks scanning one badge at once make one
check-in, and it recognises a retried request by its nonce, so a retry is not a second
scan. Every scan is recorded, whatever it answers.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.badges.enums import BadgeState
from press.badges.models import Badge
from press.checkin.enums import ScanResult
from press.checkin.models import CheckIn, Hold, Scan
from press.checkin.selectors import checkin_open_hold, checkin_request_days
from press.core.errors import PresseError
from press.core.typing import StaffMember

# A device clock ahead of the server by more than this is not believed: the scan is
# taken as made when it arrives.
DEVICE_CLOCK_TOLERANCE = dt.timedelta(minutes=5)
CODE_MAX_LENGTH = Scan._meta.get_field("code").max_length or 200
DESK_MAX_LENGTH = Scan._meta.get_field("desk").max_length or 100
NONCE_MAX_LENGTH = Scan._meta.get_field("nonce").max_length or 64


class CheckinError(PresseError):
    """A refused check-in action (codes: "bad_nonce", "no_note", "on_hold",
    "not_on_hold")."""


@dataclass(frozen=True)
class ScanAnswer:
    """What the desk is told: the result and what it is about."""

    result: str
    scan: Scan
    day: dt.date
    # The days the request may come in (checkin_request_days), worked out once.
    days: list[dt.date] = field(default_factory=list)
    badge_request: BadgeRequest | None = None
    badge: Badge | None = None
    check_in: CheckIn | None = None
    hold: Hold | None = None
    replaced: bool = False

    @property
    def today_ok(self) -> bool:
        return self.day in self.days


def checkin_scan(
    *,
    code: str,
    by: StaffMember,
    desk: str,
    nonce: str | None = None,
    scanned_at: dt.datetime | None = None,
    offline: bool = False,
) -> ScanAnswer:
    """Answer a scanned code and record the scan.

    Results: "unknown" (no badge has this code), "revoked" (the code was replaced by a
    new one, `replaced` is then true, or revoked), "not_approved" (the request is not
    approved: its state says why), "not_today" (today is not one of the request's days
    of the event), "already" (checked in earlier that day: the answer carries that
    check-in), "ok" (checked in now). A journalist on hold is not checked in: the answer
    is the one the badge would get, with the hold, and no check-in is made.

    The day is the office's date at `scanned_at` (the device's time of an offline scan;
    a time ahead of the server is taken as now). A `nonce` seen before returns the first
    scan's answer and records nothing. Offline scans synced late: the check-in kept is
    the earliest by device time, and a scan that admitted the badge on another desk
    after it is marked as a conflict after sync.
    """
    now = timezone.now()
    at = scanned_at if scanned_at is not None else now
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    if at > now + DEVICE_CLOCK_TOLERANCE:
        at = now
    day = timezone.localdate(at)
    nonce = (nonce or "").strip()
    if len(nonce) > NONCE_MAX_LENGTH:
        raise CheckinError("bad_nonce", _("The scan's nonce is too long."))
    desk = desk.strip()[:DESK_MAX_LENGTH]
    record = {
        "code": code[:CODE_MAX_LENGTH],
        "by": by,
        "desk": desk,
        "nonce": nonce,
        "offline": offline,
        "device_at": scanned_at if offline else None,
    }
    try:
        with transaction.atomic():
            return _scan(code, day=day, at=at, nonce=nonce, record=record)
    except IntegrityError:
        # The same nonce arrived twice at once: the other request recorded it first.
        previous = Scan.objects.filter(nonce=nonce).values_list("pk", flat=True).first()
        if not nonce or previous is None:
            raise
        return _answer_from(previous)


def _locked_badge_for_code(code: str) -> Badge | None:
    """The badge of the code (whatever its state) with its request, whose row is locked,
    and its event; None for a code no badge has. One query."""
    if not code or len(code) > (Badge._meta.get_field("code").max_length or 32):
        return None
    # Unordered: the code is unique, a sort would only cost.
    found = (
        Badge.objects.select_for_update(of=("badge_request",))
        .select_related("badge_request__event")
        .filter(code=code)
        .order_by()[:1]
    )
    return next(iter(found), None)


@dataclass(frozen=True)
class BadgeAfterLock:
    """What a scan decides on, read once the badge's request is locked."""

    badge_state: str
    open_hold_id: int | None
    check_in_of_day_id: int | None
    earlier_scan_id: int | None


def badge_read_after_lock(badge: Badge, *, day: dt.date, nonce: str) -> BadgeAfterLock:
    """The badge's state with, in the same query, the ids of its request's open hold,
    of its check-in of `day` and of an earlier scan with `nonce`. Run once the request's
    row is locked, as a statement of its own: on PostgreSQL each statement sees what
    was committed before it began, so it sees the check-in another desk made, or the
    new code another office issued, while this one waited for the lock (the locking
    statement itself would not)."""
    request = OuterRef("badge_request_id")
    # Unordered: each finds at most one row by a unique index. Sorted by the models'
    # default order, the check-in's would walk the whole day's check-ins by time.
    open_hold = Hold.objects.filter(badge_request=request, resolved_at__isnull=True).order_by()
    check_in = CheckIn.objects.filter(badge_request=request, day=day).order_by()
    earlier = (Scan.objects.filter(nonce=nonce) if nonce else Scan.objects.none()).order_by()
    state, open_hold_id, check_in_id, earlier_id = (
        Badge.objects.filter(pk=badge.pk)
        .annotate(
            open_hold=Subquery(open_hold.values("pk")[:1]),
            check_in_of_day=Subquery(check_in.values("pk")[:1]),
            earlier_scan=Subquery(earlier.values("pk")[:1]),
        )
        .values_list("state", "open_hold", "check_in_of_day", "earlier_scan")
        .get()
    )
    return BadgeAfterLock(
        badge_state=state,
        open_hold_id=open_hold_id,
        check_in_of_day_id=check_in_id,
        earlier_scan_id=earlier_id,
    )


def _scan(code: str, *, day: dt.date, at: dt.datetime, nonce: str, record: dict) -> ScanAnswer:
    code = code.strip()
    # Every scan of one request waits here for the others: the check-in below is then
    # decided by one of them at a time.
    badge = _locked_badge_for_code(code)
    if badge is None:
        # A retried nonce of an unknown code meets the unique constraint on the nonce
        # (caught by checkin_scan), so it needs no look-up of its own here.
        scan = Scan.objects.create(result=ScanResult.UNKNOWN, **record)
        return ScanAnswer(result=ScanResult.UNKNOWN, scan=scan, day=day)
    read = badge_read_after_lock(badge, day=day, nonce=nonce)
    if read.earlier_scan_id is not None:
        return _answer_from(read.earlier_scan_id)
    # Read after the lock: a new code issued meanwhile has made this one "replaced".
    badge.state = read.badge_state
    badge_request = badge.badge_request
    record.update(badge=badge, badge_request=badge_request)
    hold = Hold.objects.get(pk=read.open_hold_id) if read.open_hold_id is not None else None
    days = checkin_request_days(badge_request)
    answer: dict[str, Any] = {
        "day": day,
        "days": days,
        "badge_request": badge_request,
        "badge": badge,
        "hold": hold,
    }

    def refuse(result: str, **extra: Any) -> ScanAnswer:
        scan = Scan.objects.create(result=result, held=hold is not None, **record)
        return ScanAnswer(result=result, scan=scan, **answer, **extra)

    if badge.state != BadgeState.ACTIVE:
        return refuse(ScanResult.REVOKED, replaced=badge.state == BadgeState.REPLACED)
    if badge_request.state != BadgeRequestState.APPROVED:
        return refuse(ScanResult.NOT_APPROVED)
    if day not in days:
        return refuse(ScanResult.NOT_TODAY)
    existing = (
        CheckIn.objects.select_related("by").get(pk=read.check_in_of_day_id)
        if read.check_in_of_day_id is not None
        else None
    )
    if existing is not None:
        if record["offline"] and at < existing.at:
            return _take_over(existing, at=at, record=record, answer=answer, hold=hold)
        scan = Scan.objects.create(
            result=ScanResult.ALREADY,
            check_in=existing,
            held=hold is not None,
            conflict=record["offline"] and existing.desk != record["desk"],
            **record,
        )
        return ScanAnswer(result=ScanResult.ALREADY, scan=scan, check_in=existing, **answer)
    if hold is not None:
        # Held: the badge is valid, but the desk sends the journalist to the press office.
        return refuse(ScanResult.OK)
    check_in = CheckIn.objects.create(
        badge_request=badge_request,
        badge=badge,
        day=day,
        at=at,
        by=record["by"],
        desk=record["desk"],
        nonce=record["nonce"],
        offline=record["offline"],
    )
    scan = Scan.objects.create(result=ScanResult.OK, check_in=check_in, **record)
    return ScanAnswer(result=ScanResult.OK, scan=scan, check_in=check_in, **answer)


def _take_over(
    existing: CheckIn, *, at: dt.datetime, record: dict, answer: dict[str, Any], hold: Hold | None
) -> ScanAnswer:
    """An offline scan synced late turns out to be the first of the day: the check-in
    becomes its, and the scans that admitted the badge after it become conflicts."""
    Scan.objects.filter(check_in=existing, result=ScanResult.OK).exclude(
        desk=record["desk"]
    ).update(conflict=True)
    existing.at = at
    existing.by = record["by"]
    existing.desk = record["desk"]
    existing.nonce = record["nonce"]
    existing.offline = True
    existing.save(update_fields=["at", "by", "desk", "nonce", "offline"])
    scan = Scan.objects.create(
        result=ScanResult.OK, check_in=existing, held=hold is not None, **record
    )
    return ScanAnswer(result=ScanResult.OK, scan=scan, check_in=existing, **answer)


def _answer_from(scan_id: int) -> ScanAnswer:
    """The answer a recorded scan gave, rebuilt for a retried request."""
    scan = Scan.objects.select_related("badge", "badge_request__event", "check_in__by").get(
        pk=scan_id
    )
    day = timezone.localdate(scan.device_at or scan.at)
    if scan.check_in is not None:
        day = scan.check_in.day
    return ScanAnswer(
        result=scan.result,
        scan=scan,
        day=day,
        days=checkin_request_days(scan.badge_request) if scan.badge_request else [],
        badge_request=scan.badge_request,
        badge=scan.badge,
        check_in=scan.check_in,
        hold=checkin_open_hold(scan.badge_request) if scan.badge_request else None,
        replaced=scan.badge is not None and scan.badge.state == BadgeState.REPLACED,
    )


def checkin_hold(
    *, badge_request: BadgeRequest, by: StaffMember, note: str, desk: str = ""
) -> Hold:
    """Refer a journalist to the press office with a note. Refuses an empty note
    ("no_note") and a second open hold ("on_hold"). Checks nobody in."""
    note = note.strip()
    if not note:
        raise CheckinError("no_note", _("Write a note for the press office."))
    with transaction.atomic():
        locked = BadgeRequest.objects.select_for_update().get(pk=badge_request.pk)
        if checkin_open_hold(locked) is not None:
            raise CheckinError("on_hold", _("This journalist is already on hold."))
        return Hold.objects.create(
            badge_request=locked, note=note, desk=desk.strip()[:DESK_MAX_LENGTH], created_by=by
        )


def checkin_hold_resolve(*, hold: Hold, by: StaffMember, resolution: str = "") -> Hold:
    """Close a hold: the next scan of the badge checks the journalist in. Refuses a hold
    already resolved ("not_on_hold")."""
    with transaction.atomic():
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        if locked.resolved_at is not None:
            raise CheckinError("not_on_hold", _("This hold was already resolved."))
        locked.resolved_at = timezone.now()
        locked.resolved_by = by
        locked.resolution = resolution.strip()
        locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        return locked
