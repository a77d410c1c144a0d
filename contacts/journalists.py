"""Writes to the media file that carry a rule: creating or filling a journalist by
address, suppressing, erasing, and the subject access export.

The accreditation form, the mailing webhooks and the back office's erasure call these
functions. Two writers work in bulk instead and keep the same rules: the importer
(contacts.imports.applying) and the admin's add/change form, which saves a plain edit
after contacts.suppression.suppression_inherit.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.cleaning import (
    country_normalise,
    email_is_valid,
    email_normalise,
    language_normalise,
)
from contacts.enums import ConsentBasis, ContactSource, SuppressionReason
from contacts.models import ContactList, Journalist, Outlet, Suppression, email_digest
from contacts.privacy import PERSONAL_DATA_SECTIONS
from contacts.signals import journalist_erased
from contacts.suppression import suppression_inherit
from press.core.errors import PresseError
from press.core.lookups import same_text
from press.core.phones import phone_normalise
from press.core.typing import StaffMember

# Fields an upsert or an import may fill; everything else is the office's business.
FILLABLE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "outlet",
    "job_title",
    "beats",
    "country",
    "city",
    "language",
    "notes",
)
ERASED_DOMAIN = "erased.invalid"


class ContactError(PresseError):
    """A refused change to the media file; `code` is stable, `message` is for people."""


def journalist_by_email(email: str) -> Journalist | None:
    """The journalist with this address, whatever its case."""
    normal = email_normalise(email)
    return (
        Journalist.objects.annotate(email_ci=Lower("email"))
        .filter(email_ci=normal)
        .select_related("outlet")
        .first()
    )


def outlet_match(*, name: str, country: str = "") -> Outlet | None:
    """The known outlet a journalist typed: same name (any case) and country, or the only
    outlet with that name. Public forms never create outlets: that is the office's job."""
    name = name.strip()
    if not name:
        return None
    outlet = Outlet.objects.filter(same_text("name", name), country=country).first()
    if outlet:
        return outlet
    candidates = list(Outlet.objects.filter(same_text("name", name))[:2])
    return candidates[0] if len(candidates) == 1 else None


def _clean_values(values: dict) -> dict:
    unknown = set(values) - set(FILLABLE_FIELDS)
    if unknown:
        raise ContactError("unknown_field", f"Unknown journalist fields: {sorted(unknown)}")
    cleaned = {key: value for key, value in values.items() if value not in (None, "")}
    if "country" in cleaned:
        cleaned["country"] = country_normalise(cleaned["country"]) or ""
    if "phone" in cleaned:
        cleaned["phone"] = phone_normalise(cleaned["phone"], country=cleaned.get("country", ""))
    if "language" in cleaned:
        code, understood = language_normalise(cleaned["language"])
        cleaned["language"] = code if understood else ""
    return {key: value for key, value in cleaned.items() if value not in (None, "")}


def _is_empty(journalist: Journalist, field: str) -> bool:
    if field == "outlet":
        return journalist.outlet_id is None
    return getattr(journalist, field) in (None, "")


def journalist_upsert(
    *,
    email: str,
    source: ContactSource,
    consent_basis: ConsentBasis,
    values: dict,
    lists: Iterable[ContactList] = (),
) -> tuple[Journalist, bool]:
    """Find the journalist by email (case-insensitively) or create them, recording the
    source, consent basis and time. An existing journalist only gets their empty fields
    filled from `values`: nothing is overwritten and a suppression is never cleared.
    A new address whose hash is on the suppression list (an erased person) is created
    suppressed, so it is not silently mailed again. Refuses an invalid address
    (code "invalid_email"). Returns (journalist, created)."""
    normal = email_normalise(email)
    if not email_is_valid(normal):
        raise ContactError("invalid_email", _("Enter a valid email address."))
    cleaned = _clean_values(values)
    with transaction.atomic():
        journalist = journalist_by_email(normal)
        created = False
        if journalist is None:
            try:
                with transaction.atomic():
                    journalist = _journalist_create(
                        email=normal, source=source, consent_basis=consent_basis, values=cleaned
                    )
                    created = True
            except IntegrityError:
                # Someone else created the same address meanwhile: fill it instead.
                journalist = journalist_by_email(normal)
                if journalist is None:
                    raise
        if not created:
            filled = [field for field in cleaned if _is_empty(journalist, field)]
            for field in filled:
                setattr(journalist, field, cleaned[field])
            if filled:
                journalist.save(update_fields=[*filled, "updated_at"])
        if lists:
            journalist.lists.add(*lists)
    return journalist, created


def _journalist_create(
    *, email: str, source: ContactSource, consent_basis: ConsentBasis, values: dict
) -> Journalist:
    now = timezone.now()
    journalist = Journalist(
        email=email, source=source, consent_basis=consent_basis, consent_at=now, **values
    )
    suppression_inherit(journalist, at=now)
    journalist.save()
    return journalist


def journalist_suppress(
    *, journalist: Journalist, reason: str, at: dt.datetime | None = None
) -> bool:
    """Stop mailing this journalist (hard bounce, complaint, unsubscribe). Idempotent:
    the first suppression and its reason are kept. Returns whether anything changed."""
    at = at or timezone.now()
    changed = Journalist.objects.filter(pk=journalist.pk, suppressed_at__isnull=True).update(
        suppressed_at=at, suppression_reason=reason, updated_at=timezone.now()
    )
    if changed:
        journalist.suppressed_at = at
        journalist.suppression_reason = reason
    return bool(changed)


def journalist_erase(*, journalist: Journalist, by: StaffMember) -> Journalist:
    """Erase a journalist on request (GDPR): the address is kept only as a hash on the
    suppression list, names, phone, job, beats, city, notes and list memberships are
    removed. The row stays (anonymous) so counts and delivery statistics survive;
    outlet and country are kept for those aggregates. `journalist_erased` is sent
    first so other modules anonymise what they hold. Refuses a journalist already
    erased (code "already_erased")."""
    with transaction.atomic():
        locked = Journalist.objects.select_for_update().get(pk=journalist.pk)
        if locked.erased_at is not None:
            raise ContactError("already_erased", _("This journalist has already been erased."))
        journalist_erased.send(sender=Journalist, journalist=locked)
        Suppression.objects.update_or_create(
            email_hash=email_digest(locked.email),
            defaults={"reason": SuppressionReason.ERASED},
        )
        now = timezone.now()
        locked.email = f"erased-{locked.pk}@{ERASED_DOMAIN}"
        for field in ("first_name", "last_name", "phone", "job_title", "beats", "city", "notes"):
            setattr(locked, field, "")
        locked.suppressed_at = locked.suppressed_at or now
        locked.suppression_reason = SuppressionReason.ERASED
        locked.erased_at = now
        locked.erased_by = by
        locked.save(
            update_fields=[
                "email",
                "first_name",
                "last_name",
                "phone",
                "job_title",
                "beats",
                "city",
                "notes",
                "suppressed_at",
                "suppression_reason",
                "erased_at",
                "erased_by",
                "updated_at",
            ]
        )
        locked.lists.clear()
    return locked


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def journalist_export_personal_data(*, journalist: Journalist) -> dict:
    """Everything the office holds about one journalist, JSON-serialisable: their
    record, outlet, lists, then each section registered in PERSONAL_DATA_SECTIONS."""
    outlet = journalist.outlet
    data = {
        "exported_at": timezone.now().isoformat(),
        "journalist": {
            "first_name": journalist.first_name,
            "last_name": journalist.last_name,
            "email": journalist.email,
            "phone": journalist.phone,
            "job_title": journalist.job_title,
            "beats": journalist.beats,
            "country": str(journalist.country or ""),
            "city": journalist.city,
            "preferred_language": journalist.language,
            "notes": journalist.notes,
            "source": journalist.source,
            "consent_basis": journalist.consent_basis,
            "consent_at": _iso(journalist.consent_at),
            "suppressed_at": _iso(journalist.suppressed_at),
            "suppression_reason": journalist.suppression_reason,
            "erased_at": _iso(journalist.erased_at),
            "created_at": _iso(journalist.created_at),
            "updated_at": _iso(journalist.updated_at),
        },
        "outlet": None
        if outlet is None
        else {
            "name": outlet.name,
            "kind": outlet.kind,
            "country": str(outlet.country or ""),
            "city": outlet.city,
            "website": outlet.website,
        },
        "lists": list(journalist.lists.order_by("name").values_list("name", flat=True)),
    }
    for section in PERSONAL_DATA_SECTIONS:
        name, section_data = section(journalist)
        data[name] = section_data
    return data
