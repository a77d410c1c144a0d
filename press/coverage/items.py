"""Coverage items: adding one (by the office, by a journalist, by an import), and the
journalist's part of them for privacy requests."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import Journalist, Outlet
from press.core.errors import PresseError
from press.core.lookups import same_text
from press.coverage.enums import CoverageKind, CoverageSource
from press.coverage.models import CoverageInvitation, CoverageItem
from press.events.models import Event

CLIPPING_TYPES = {"pdf", "png", "jpg", "jpeg", "webp"}
CLIPPING_MAX_BYTES = 10 * 1024 * 1024


class CoverageError(PresseError):
    """A refused coverage action; `code`: bad_url, duplicate, bad_clipping."""


def coverage_url_normalise(url: str) -> str:
    """The address as stored and compared: trimmed, scheme and host in lower case,
    without its #fragment (the same article either way). Raises CoverageError
    (code bad_url) for anything but an http or https address."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise CoverageError(
            "bad_url", _("Enter a web address starting with http:// or https://.")
        ) from error
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def coverage_url_exists(*, event: Event, url: str) -> bool:
    return CoverageItem.objects.filter(event=event, url=coverage_url_normalise(url)).exists()


def outlet_guess(*, site_name: str = "", url: str = "") -> Outlet | None:
    """The media file's outlet a page belongs to: the one whose website has the page's
    host, else the one named like the page's site name; None when unsure."""
    host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    if host:
        for outlet in Outlet.objects.filter(website__icontains=host).only("pk", "website"):
            if (urlsplit(outlet.website).hostname or "").removeprefix("www.") == host:
                return Outlet.objects.get(pk=outlet.pk)
    if site_name.strip():
        matches = list(Outlet.objects.filter(same_text("name", site_name.strip()))[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def coverage_clipping_check(*, clipping: UploadedFile) -> None:
    """Refuse (bad_clipping) a clipping that is not a PDF or an image of at most 10 MB,
    judged by its first bytes, not by what its name claims."""
    suffix = (
        clipping.name.rsplit(".", 1)[-1].lower() if clipping.name and "." in clipping.name else ""
    )
    if suffix not in CLIPPING_TYPES:
        raise CoverageError(
            "bad_clipping", _("A clipping is a PDF or an image (PNG, JPEG or WebP).")
        )
    if (clipping.size or 0) > CLIPPING_MAX_BYTES:
        raise CoverageError("bad_clipping", _("A clipping may not exceed 10 MB."))
    head = clipping.read(8)
    clipping.seek(0)
    looks_right = (
        head.startswith(b"%PDF")
        if suffix == "pdf"
        else head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"RIFF"))
    )
    if not looks_right:
        raise CoverageError("bad_clipping", _("This file is not the PDF or image it claims to be."))


def coverage_add(
    *,
    event: Event,
    url: str,
    headline: str,
    kind: str = CoverageKind.ONLINE,
    outlet: Outlet | None = None,
    outlet_name: str = "",
    country: str = "",
    journalist: Journalist | None = None,
    published_on: dt.date | None = None,
    language: str = "",
    estimated_audience: int | None = None,
    release: Any = None,
    notes: str = "",
    clipping: UploadedFile | None = None,
    source: str = CoverageSource.STAFF,
    by: Any = None,
) -> CoverageItem:
    """Record one coverage item. Refuses an address that is not http(s) (bad_url), one
    already recorded for the event (duplicate) and a clipping that is not a PDF or an
    image of at most 10 MB (bad_clipping). The outlet's name and country come from the
    known outlet when none are given."""
    url = coverage_url_normalise(url)
    if clipping is not None:
        coverage_clipping_check(clipping=clipping)
    if kind not in CoverageKind.values:
        raise CoverageError("bad_kind", _("Unknown kind of coverage."))
    if CoverageItem.objects.filter(event=event, url=url).exists():
        raise CoverageError(
            "duplicate", _("This address is already in the coverage of this event.")
        )
    item = CoverageItem(
        event=event,
        url=url,
        headline=(headline or "").strip()[:500] or url[:500],
        kind=kind,
        outlet=outlet,
        outlet_name=(outlet_name or (outlet.name if outlet else "")).strip()[:200],
        country=country or (str(outlet.country) if outlet and outlet.country else ""),
        journalist=journalist,
        published_on=published_on,
        language=(language or "").strip().lower()[:8],
        estimated_audience=estimated_audience,
        release=release,
        notes=notes,
        source=source,
        created_by=by,
    )
    if clipping is not None:
        item.clipping.save(clipping.name or "clipping", clipping, save=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        # Another request recorded the same address a moment earlier.
        if item.clipping.name:
            item.clipping.storage.delete(item.clipping.name)
        raise CoverageError(
            "duplicate", _("This address is already in the coverage of this event.")
        ) from error
    return item


def coverage_fill_from_outlet(*, item: CoverageItem) -> None:
    """An item of a known outlet takes the outlet's name and country where it has none."""
    if item.outlet is not None:
        item.outlet_name = item.outlet_name or item.outlet.name
        if not item.country and item.outlet.country:
            item.country = item.outlet.country


def _journalist_items(journalist: Journalist):
    return CoverageItem.objects.filter(Q(journalist=journalist))


def coverage_erase(*, journalist: Journalist) -> int:
    """On erasure: the articles stay (they are public and belong to the event's
    record), the link to the person goes, and so do the personal notes about them, the
    items the journalist submitted themselves (their clippings once the erasure
    commits) and their personal coverage links. Returns the number of items touched."""
    CoverageInvitation.objects.filter(journalist=journalist).delete()
    items = list(_journalist_items(journalist))
    submitted = [item for item in items if item.source == CoverageSource.JOURNALIST]
    files = [(item.clipping.storage, item.clipping.name) for item in submitted if item.clipping]
    for item in submitted:
        item.delete()
    kept = [item.pk for item in items if item.source != CoverageSource.JOURNALIST]
    CoverageItem.objects.filter(pk__in=kept).update(journalist=None, notes="")
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return len(items)


def coverage_personal_data(journalist: Journalist) -> tuple[str, list[dict[str, Any]]]:
    """The coverage section of a subject access export."""
    items = _journalist_items(journalist).select_related("event").order_by("pk")
    return "coverage", [
        {
            "event": item.event.slug,
            "url": item.url,
            "headline": item.headline,
            "outlet": item.outlet_name,
            "published_on": item.published_on.isoformat() if item.published_on else None,
            "language": item.language,
            "kind": item.kind,
            "source": item.source,
            "notes": item.notes,
            "added_at": item.created_at.isoformat(),
        }
        for item in items
    ]


def coverage_invitations_personal_data(journalist: Journalist) -> tuple[str, list[dict[str, Any]]]:
    """The "share your coverage" section of a subject access export: each personal link
    sent to the journalist (when, to which address, for which event, how far the email
    got) and the addresses they submitted through it. The link's token is left out: it
    is a key to the submission page, not information about the person."""
    invitations = (
        CoverageInvitation.objects.filter(journalist=journalist)
        .select_related("event")
        .order_by("created_at", "pk")
    )
    # The submission page records its items under the invitation's journalist and
    # event, as submitted by the journalist: that pair finds what came through a link.
    submitted: dict[int, list[str]] = {}
    for event_id, url in (
        CoverageItem.objects.filter(journalist=journalist, source=CoverageSource.JOURNALIST)
        .order_by("created_at", "pk")
        .values_list("event_id", "url")
    ):
        submitted.setdefault(event_id, []).append(url)

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return "coverage_invitations", [
        {
            "event": invitation.event.slug,
            "sent_to": invitation.email,
            "language": invitation.language,
            "state": invitation.state,
            "prepared_at": iso(invitation.created_at),
            "sent_at": iso(invitation.sent_at),
            "delivered_at": iso(invitation.delivered_at),
            "opened_at": iso(invitation.opened_at),
            "bounced_at": iso(invitation.bounced_at),
            "complained_at": iso(invitation.complained_at),
            "last_used_at": iso(invitation.last_used_at),
            "provider_message_id": invitation.message_id,
            "error": invitation.error,
            "items_submitted": submitted.get(invitation.event_id, []),
        }
        for invitation in invitations
    ]
