"""The desk's pages: scanning, holds, the name search, the offline list and its sync,
the lists of the day and their exports. Every view needs a staff member allowed to
check badges in (the Check-in desk group and press officers)."""

import datetime as dt
import json
import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from press.accreditation.models import BadgeRequest
from press.checkin import lists as desk_lists
from press.checkin.enums import ScanResult
from press.checkin.offline import checkin_day_list
from press.checkin.scanning import CheckinError, ScanAnswer, checkin_hold, checkin_scan
from press.checkin.selectors import checkin_search
from press.core.dates import datetime_short, day_month
from press.core.phones import phone_display
from press.events.models import Event
from press.events.selectors import current_event
from press.permissions import staff_has_permission

PERMISSION = "events.check_in_badge"
DESK_COOKIE = "presse_desk"
SYNC_MAX_SCANS = 500
# The desk page's policy: the site's, with images also from data: URLs, because offline
# the answer shows the small photo kept in the device's copy of the day's list.
DESK_CSP: dict[str, Any] = {
    **settings.SECURE_CSP,
    "img-src": [*cast(list[str], settings.SECURE_CSP["img-src"]), "data:"],
}


def desk_allowed(user: Any) -> bool:
    # Every scan asks: one query, not the two of has_perm (see staff_has_permission).
    return staff_has_permission(user, PERMISSION)


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def desk_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Staff allowed to check in only: a JSON 403 for others asking for JSON, the admin
    login for anonymous pages, a 403 page for other staff."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not desk_allowed(request.user):
            if wants_json(request) or request.content_type == "application/json":
                message = _("Only check-in staff may use the desk.")
                return JsonResponse({"error": "forbidden", "message": message}, status=403)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def desk_name(request: HttpRequest) -> str:
    return (request.POST.get("desk") or request.COOKIES.get(DESK_COOKIE) or "").strip()[:100]


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return datetime_short(value)


def _days_label(days: list[dt.date]) -> str:
    return ", ".join(day_month(day) for day in days)


def answer_headline(answer: ScanAnswer) -> tuple[str, str]:
    """The answer's colour class and its headline, in the desk's language."""
    if answer.hold is not None and answer.result == ScanResult.OK:
        return "hold", _("On hold: send to the press office")
    headlines = {
        ScanResult.OK: ("ok", _("OK: hand over the badge")),
        ScanResult.ALREADY: ("already", _("Already checked in today")),
        ScanResult.NOT_APPROVED: ("refused", _("Not approved")),
        ScanResult.NOT_TODAY: ("refused", _("Not today")),
        ScanResult.REVOKED: (
            "refused",
            _("Replaced by a new code") if answer.replaced else _("Revoked"),
        ),
        ScanResult.UNKNOWN: ("unknown", _("Unknown code")),
    }
    return headlines[ScanResult(answer.result)]


def answer_payload(answer: ScanAnswer) -> dict[str, Any]:
    """The JSON contract of checkin:scan."""
    badge_request = answer.badge_request
    tone, headline = answer_headline(answer)
    payload: dict[str, Any] = {
        "result": answer.result,
        "tone": tone,
        "headline": headline,
        "name": badge_request.full_name if badge_request else None,
        "outlet": badge_request.outlet_name if badge_request else None,
        "photo_url": (
            reverse("checkin:photo", args=[badge_request.pk])
            if badge_request and badge_request.photo
            else None
        ),
        "checked_in_at": (
            answer.check_in.at.isoformat()
            if answer.check_in and answer.result == ScanResult.OK
            else None
        ),
        "days": [day.isoformat() for day in answer.days],
        "days_label": _days_label(answer.days),
        "today_ok": answer.today_ok,
        "badge_request": badge_request.pk if badge_request else None,
        "held": None,
        "detail": "",
    }
    if badge_request and answer.result == ScanResult.NOT_APPROVED:
        payload["state"] = badge_request.state
        payload["detail"] = _("Request state: %(state)s") % {
            "state": badge_request.get_state_display()
        }
    if answer.result == ScanResult.REVOKED:
        payload["replaced"] = answer.replaced
        payload["detail"] = (
            _("A newer badge was issued: this one must not be accepted.")
            if answer.replaced
            else _("This badge was revoked.")
        )
    if answer.result == ScanResult.NOT_TODAY:
        payload["detail"] = _("Days: %(days)s") % {"days": payload["days_label"] or "—"}
    if answer.result == ScanResult.ALREADY and answer.check_in is not None:
        check_in = answer.check_in
        by = check_in.by.get_full_name() or check_in.by.get_username() if check_in.by else ""
        payload["already"] = {"at": check_in.at.isoformat(), "by": by, "desk": check_in.desk}
        payload["detail"] = _("At %(when)s by %(by)s, desk %(desk)s") % {
            "when": _when(check_in.at),
            "by": by or "—",
            "desk": check_in.desk or "—",
        }
    if answer.result == ScanResult.UNKNOWN:
        payload["detail"] = _("No badge has this code. Check the journalist by name.")
    if answer.hold is not None:
        payload["held"] = {
            "note": answer.hold.note,
            "at": answer.hold.created_at.isoformat(),
            "desk": answer.hold.desk,
        }
    return payload


def _counted(key: str, words: Callable[[int], str]) -> dict[str, str]:
    return {f"{key}-{form}": words(count) for form, count in (("zero", 0), ("one", 1), ("many", 2))}


def js_strings() -> dict[str, str]:
    """The page script's words, in the desk's language (as data attributes: no inline
    script). Placeholders stay as %(name)s for the script to fill."""
    return {
        "ok": _("OK: hand over the badge"),
        "already": _("Already checked in today"),
        "not-approved": _("Not approved"),
        "not-today": _("Not today"),
        "replaced": _("Replaced by a new code"),
        "revoked": _("Revoked"),
        "unknown": _("Unknown code"),
        "hold": _("On hold: send to the press office"),
        "unknown-detail": _("No badge has this code. Check the journalist by name."),
        "replaced-detail": _("A newer badge was issued: this one must not be accepted."),
        "revoked-detail": _("This badge was revoked."),
        "state-detail": _("Request state: %(state)s"),
        "days": _("Days: %(days)s"),
        "not-today-detail": _("Days: %(days)s"),
        "already-detail": _("At %(when)s by %(by)s, desk %(desk)s"),
        "today-yes": _("Today is one of their days."),
        "today-no": _("Today is not one of their days."),
        "held": _("Held for the press office: %(note)s"),
        "online": _("Online"),
        "offline": _("Offline"),
        "offline-answer": _(
            "Answered offline from the list of %(time)s; it will be sent when the network returns."
        ),
        "no-list": _(
            "Offline and no list on this device: let nobody in without calling the press office."
        ),
        # Counted words come in the forms the script picks by count (0, 1, more): the
        # French and English plural rules both fit these three.
        **_counted(
            "list",
            lambda n: ngettext(
                "List of %(time)s: %(count)d badge", "List of %(time)s: %(count)d badges", n
            ),
        ),
        **_counted(
            "queue",
            lambda n: ngettext(
                "%(count)d scan waiting to be sent", "%(count)d scans waiting to be sent", n
            ),
        ),
        "this-device": _("this device"),
        "no-code": _("Scan or type a badge code."),
        "camera-error": _("The camera could not be started."),
        "error": _("The server did not answer as expected. Try again."),
        "forbidden": _("Your session has ended: log in again."),
        "none-found": _("Nobody of this event matches."),
        "check-in": _("Check in"),
        "held-ok": _("%(name)s is on hold: send them to the press office."),
    }


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    event = current_event()
    context.setdefault("answer", None)
    return render(
        request,
        "checkin/scan.html",
        {
            "event": event,
            "desk": desk_name(request)
            if request.method == "POST"
            else request.COOKIES.get(DESK_COOKIE, ""),
            "today": timezone.localdate(),
            "js_strings": js_strings(),
            **context,
        },
        status=context.pop("status", 200),
    )


@require_http_methods(["GET", "POST"])
@desk_required
@csp_override(DESK_CSP)
def scan(request: HttpRequest) -> HttpResponse:
    """GET: the desk page. POST `code` (and `nonce`): the answer, as JSON when asked."""
    if request.method == "GET":
        return _page(request)
    code = request.POST.get("code", "")
    if not code.strip() and request.POST.get("badge_request"):
        code = _code_of_request(request.POST["badge_request"])
    if not code.strip():
        message = _("Scan or type a badge code.")
        if wants_json(request):
            return JsonResponse({"error": "no_code", "message": message}, status=400)
        return _page(request, error=message, status=400)
    try:
        answer = checkin_scan(
            code=code,
            by=request.user,  # type: ignore[arg-type]
            desk=desk_name(request),
            nonce=request.POST.get("nonce") or None,
        )
    except CheckinError as error:
        if wants_json(request):
            return JsonResponse({"error": error.code, "message": str(error)}, status=400)
        return _page(request, error=str(error), status=400)
    payload = answer_payload(answer)
    if wants_json(request):
        return JsonResponse(payload)
    return _page(request, answer=payload)


def _code_of_request(value: str) -> str:
    """The code of a request's newest badge, for a journalist found by name."""
    if not value.isdigit():
        return ""
    badge_request = BadgeRequest.objects.filter(pk=int(value)).first()
    if badge_request is None:
        return ""
    badge = badge_request.badges.order_by("-created_at", "-pk").first()
    return badge.code if badge else ""


@require_POST
@desk_required
def hold(request: HttpRequest) -> HttpResponse:
    """Hold the journalist of `badge_request` with a `note` for the press office."""
    value = request.POST.get("badge_request", "")
    badge_request = BadgeRequest.objects.filter(pk=int(value)).first() if value.isdigit() else None
    try:
        if badge_request is None:
            raise CheckinError("no_request", _("Scan the badge again, then hold."))
        held = checkin_hold(
            badge_request=badge_request,
            by=request.user,  # type: ignore[arg-type]
            note=request.POST.get("note", ""),
            desk=desk_name(request),
        )
    except CheckinError as error:
        if wants_json(request):
            return JsonResponse({"error": error.code, "message": str(error)}, status=400)
        return _page(request, error=str(error), status=400)
    message = _("%(name)s is on hold: send them to the press office.") % {
        "name": badge_request.full_name
    }
    if wants_json(request):
        return JsonResponse({"held": {"note": held.note, "desk": held.desk}, "message": message})
    return _page(request, notice=message)


@require_GET
@desk_required
def search(request: HttpRequest) -> HttpResponse:
    """Journalists of the current event by name or outlet (`q`, at least 2 letters)."""
    query = request.GET.get("q", "").strip()
    event = current_event()
    results = checkin_search(event=event, query=query) if event else []
    if wants_json(request):
        rows = [
            {
                "badge_request": row.pk,
                "name": row.full_name,
                "outlet": row.outlet_name,
                "state": row.state,
                "state_label": row.get_state_display(),
                "can_scan": bool(getattr(row, "has_badge", False)),
            }
            for row in results
        ]
        return JsonResponse({"query": query, "results": rows})
    return _page(request, query=query, results=results)


@require_GET
@desk_required
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A journalist's photo, for the desk to compare with an ID; never cached."""
    badge_request = get_object_or_404(BadgeRequest, pk=pk)
    file = badge_request.photo
    if not file or not file.name or not file.storage.exists(file.name):
        raise Http404
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@desk_required
def set_desk(request: HttpRequest) -> HttpResponse:
    """Name this device's desk (kept in a cookie for a year)."""
    name = request.POST.get("desk", "").strip()[:100]
    response = HttpResponseRedirect(reverse("checkin:scan"))
    response.set_cookie(DESK_COOKIE, name, max_age=365 * 24 * 3600, samesite="Lax", httponly=False)
    return response


@require_GET
@desk_required
def day_list(request: HttpRequest) -> HttpResponse:
    """The day's badges for the device to answer scans offline (hashed codes only)."""
    event = current_event()
    if event is None:
        return JsonResponse({"error": "no_event", "message": _("There is no event.")}, status=404)
    day = timezone.localdate()
    payload = checkin_day_list(event=event, day=day)
    payload["user"] = request.user.pk
    response = JsonResponse(payload)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@desk_required
def sync(request: HttpRequest) -> HttpResponse:
    """Scans made offline, posted when the network returns: {"scans": [{"code",
    "nonce", "scanned_at", "desk"}]}. Each is answered as it would have been; a nonce
    already received answers its first answer again."""
    try:
        body = json.loads(request.body or b"{}")
        scans = body.get("scans")
        if not isinstance(scans, list):
            raise ValueError
    except (ValueError, AttributeError):
        message = _("The sync request is not a list of scans.")
        return JsonResponse({"error": "bad_request", "message": message}, status=400)
    if len(scans) > SYNC_MAX_SCANS:
        message = _("Send at most %(count)d scans at a time.") % {"count": SYNC_MAX_SCANS}
        return JsonResponse({"error": "too_many", "message": message}, status=400)
    results = []
    for item in scans:
        results.append(_sync_one(request, item))
    return JsonResponse({"results": results})


def _sync_one(request: HttpRequest, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"nonce": None, "error": "bad_scan", "message": _("This scan is not readable.")}
    nonce = str(item.get("nonce") or "")
    code = str(item.get("code") or "")
    scanned_at = parse_datetime(str(item.get("scanned_at") or ""))
    if not nonce or not code.strip() or scanned_at is None:
        message = _("A scan needs its code, its nonce and the time it was made.")
        return {"nonce": nonce or None, "error": "bad_scan", "message": message}
    try:
        answer = checkin_scan(
            code=code,
            by=request.user,  # type: ignore[arg-type]
            desk=str(item.get("desk") or ""),
            nonce=nonce,
            scanned_at=scanned_at,
            offline=True,
        )
    except CheckinError as error:
        return {"nonce": nonce, "error": error.code, "message": str(error)}
    return {
        "nonce": nonce,
        "result": answer.result,
        "conflict": answer.scan.conflict,
        "name": answer.badge_request.full_name if answer.badge_request else None,
    }


@require_GET
@desk_required
def lists(request: HttpRequest, which: str) -> HttpResponseBase:
    """Arrived today, expected and not arrived, held, conflicts after sync; `?day=`
    picks another day, `?event=` another edition (by its short name); `export` gives the
    list as xlsx."""
    slug = request.GET.get("event", "")
    event = Event.objects.filter(slug=slug).first() if slug else current_event()
    if which not in desk_lists.LISTS or event is None:
        raise Http404
    if which == "conflicts" and not request.user.has_perm("checkin.view_scan"):
        # Conflicts are for the press office to settle, not for the desk.
        raise PermissionDenied
    day = parse_date(request.GET.get("day", "")) or timezone.localdate()
    table = desk_lists.LISTS[which](event=event, day=day)
    if request.GET.get("export") == "xlsx":
        return desk_lists.export(table, event=event, day=day)
    return render(
        request,
        "checkin/lists.html",
        {
            "event": event,
            "day": day,
            "table": table,
            "rows": [
                [
                    phone_display(str(value or ""))
                    if index in table.phone_columns
                    else _cell(value)
                    for index, value in enumerate(row)
                ]
                for row in table.rows
            ],
            "which": which,
            "lists": desk_lists.TITLES,
        },
    )


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return _when(value)
    return "" if value is None else str(value)


@require_GET
@desk_required
def manifest(request: HttpRequest) -> HttpResponse:
    """The installable app's manifest, in the desk's language."""
    from django.templatetags.static import static

    data = {
        "name": _("Presse check-in desk"),
        "short_name": _("Check-in"),
        "description": _("Scan press badges at the entrance, online or offline."),
        "start_url": reverse("checkin:scan"),
        "scope": reverse("checkin:scan"),
        "display": "standalone",
        "background_color": "#0b3d63",
        "theme_color": "#0b3d63",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("checkin/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("checkin/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("checkin/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
@desk_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the desk's own path so that its scope covers
    the page; it lists the files to keep for offline use."""
    from django.templatetags.static import static

    assets = [
        reverse("checkin:scan"),
        static("checkin/desk.css"),
        static("checkin/desk.js"),
        static("checkin/jsQR.js"),
        static("checkin/icon-192.png"),
        static("checkin/icon-512.png"),
    ]
    response = render(
        request,
        "checkin/service-worker.js",
        {"assets_json": json.dumps(assets), "version": _asset_version(assets)},
        content_type="application/javascript",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _asset_version(assets: list[str]) -> str:
    import hashlib

    from django.contrib.staticfiles import finders

    digest = hashlib.sha256()
    for asset in assets[1:]:
        path = finders.find(asset.removeprefix("/static/"))
        if isinstance(path, str):
            with open(path, "rb") as file:
                digest.update(file.read())
        else:
            digest.update(asset.encode())
    return digest.hexdigest()[:12]


def office_index(request: HttpRequest) -> HttpResponse:
    """The back office's index; a desk member whose only office power is checking in
    lands on the desk instead of an empty index."""
    user = request.user
    if desk_allowed(user) and not user.is_superuser:
        others = {p for p in user.get_all_permissions() if p != PERMISSION}
        if not others:
            return HttpResponseRedirect(reverse("checkin:scan"))
    return admin.site.admin_view(admin.site.index)(request)
