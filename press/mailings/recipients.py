"""Who a mailing reaches, in which language, and who is left out and why."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import SHA256, Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from contacts.enums import SuppressionReason
from contacts.models import Journalist, Suppression, email_digest
from contacts.suppression import ON_SUPPRESSION_LIST, mailing_exclusion, suppression_reasons
from press.core.translated import content_languages, fallback_order, language_name
from press.mailings.enums import MailingKind
from press.mailings.models import Mailing
from press.releases.models import Release

# Left out because the mailing exists in no language at all yet (a release mailing
# whose release has no version): everyone else falls back to an available language.
NO_LANGUAGE = "no_language"

EXCLUSION_LABELS = {
    SuppressionReason.UNSUBSCRIBED: _("Unsubscribed"),
    SuppressionReason.BOUNCED: _("Address bounced"),
    SuppressionReason.COMPLAINED: _("Marked a mailing as spam"),
    SuppressionReason.ERASED: _("Erased on request"),
    ON_SUPPRESSION_LIST: _("Address on the suppression list"),
    NO_LANGUAGE: _("Not in a language of the mailing"),
}

# Left out by their own choice, on the preference page or when subscribing.
NO_RELEASES = "no_releases"
NO_INVITATIONS = "no_invitations"
OTHER_TOPICS = "other_topics"
EXCLUSION_LABELS |= {
    NO_RELEASES: _("Chose not to receive releases"),
    NO_INVITATIONS: _("Chose not to receive invitations"),
    OTHER_TOPICS: _("Follows other topics only"),
}


def preference_exclusion(*, kind: str, release_id: int | None) -> Case | Value:
    """Why a journalist's own choices leave them out of a mailing of this kind, as an SQL
    expression ("" when they do not): releases and invitations each can be turned off; a
    journalist who chose topics gets only releases filed under one of them (a release
    without topics reaches everyone who wants releases). Announcements are not affected.
    The one place of this rule, for the recipient list and the counts alike."""
    if kind == MailingKind.RELEASE:
        chosen = Journalist.topics.through.objects.filter(journalist_id=OuterRef("pk"))
        release_topics = Release.topics.through.objects.filter(release_id=release_id or 0)
        shared = chosen.filter(topic_id__in=release_topics.values("topic_id"))
        return Case(
            When(wants_releases=False, then=Value(NO_RELEASES)),
            When(
                Exists(chosen) & Exists(release_topics) & ~Exists(shared),
                then=Value(OTHER_TOPICS),
            ),
            default=Value(""),
        )
    if kind == MailingKind.INVITATION:
        return Case(When(wants_invitations=False, then=Value(NO_INVITATIONS)), default=Value(""))
    return Value("")


@dataclass
class Recipient:
    journalist_id: int
    email: str
    name: str
    language: str
    outlet_kind: str


@dataclass
class RecipientCounts:
    """How many a mailing reaches per language and how many it leaves out per reason."""

    by_language: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_language.values())

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    def languages(self) -> list[tuple[str, int]]:
        """(language code, recipients) in settings order, for templates."""
        return [
            (code, self.by_language[code])
            for code in content_languages()
            if code in self.by_language
        ]

    def excluded_labelled(self) -> list[tuple[str, int]]:
        return [
            (str(EXCLUSION_LABELS[reason]), count)
            for reason, count in sorted(self.excluded.items())
        ]

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "by_language": [
                {"language": code, "name": language_name(code), "count": count}
                for code, count in self.languages()
            ],
            "excluded_total": self.excluded_total,
            "excluded": [
                {"reason": reason, "label": str(EXCLUSION_LABELS[reason]), "count": count}
                for reason, count in sorted(self.excluded.items())
            ],
        }


@dataclass
class RecipientSummary(RecipientCounts):
    """The recipients themselves, for sending, with the same counts."""

    recipients: list[Recipient] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.recipients)


def mailing_languages(*, mailing: Mailing) -> list[str]:
    """The languages the mailing exists in, in settings order: a release's versions, or
    the languages its subject or message was written in (all of them if none)."""
    if mailing.kind == MailingKind.RELEASE and mailing.release is not None:
        available = {version.language for version in mailing.release.versions.all()}
    else:
        available = {code for code, text in {**mailing.subject, **mailing.message}.items() if text}
    languages = [code for code in content_languages() if code in available]
    if mailing.kind == MailingKind.RELEASE:
        return languages
    return languages or content_languages()


def recipient_language(*, preferred: str | None, available: list[str]) -> str | None:
    """The journalist's preferred language when the mailing exists in it, else the
    first available one in settings order (None when nothing is available)."""
    for code in fallback_order(preferred):
        if code in available:
            return code
    return None


def mailing_audience(*, mailing: Mailing) -> QuerySet[Journalist]:
    """Journalists the mailing is addressed to, before exclusions (see audience)."""
    return audience(
        list_ids=[contact_list.pk for contact_list in mailing.lists.all()],
        subscribers=mailing.subscribers,
        journalist_ids=[journalist.pk for journalist in mailing.journalists.all()],
        countries=[str(country) for country in mailing.countries],
        languages=list(mailing.languages),
        outlet_kinds=list(mailing.outlet_kinds),
    )


def audience(
    *,
    list_ids: list[int],
    subscribers: bool = False,
    journalist_ids: list[int],
    countries: list[str],
    languages: list[str],
    outlet_kinds: list[str],
) -> QuerySet[Journalist]:
    """Members of the lists and (with `subscribers`) the newsroom's subscribers, narrowed
    by the filters (the whole file narrowed by the filters when there is neither), plus
    the journalists picked one by one; before exclusions. Also used for a mailing being
    edited, before it is saved."""
    filters = Q()
    if countries:
        filters &= Q(country__in=countries)
    if languages:
        filters &= Q(language__in=languages)
    if outlet_kinds:
        filters &= Q(outlet__kind__in=outlet_kinds)
    chosen = Q(pk__in=journalist_ids)
    sources = Q()
    if list_ids:
        members = Journalist.lists.through.objects.filter(contactlist_id__in=list_ids)
        sources |= Q(pk__in=members.values("journalist_id"))
    if subscribers:
        sources |= Q(subscribed_at__isnull=False)
    if sources:
        chosen |= sources & filters
    elif filters:
        chosen |= filters
    return Journalist.objects.filter(chosen)


def mailing_recipients(*, mailing: Mailing) -> RecipientSummary:
    """Who would receive the mailing now, each in their language, with the count of
    those excluded by reason. Reads the audience in one query, plus one per 900
    addresses for the suppression list."""
    available = mailing_languages(mailing=mailing)
    rows = list(
        mailing_audience(mailing=mailing)
        .annotate(preference=preference_exclusion(kind=mailing.kind, release_id=mailing.release_id))
        .order_by("pk")
        .values_list(
            "pk",
            "email",
            "first_name",
            "last_name",
            "language",
            "outlet__kind",
            "suppressed_at",
            "suppression_reason",
            "erased_at",
            "preference",
        )
    )
    listed = suppression_reasons([row[1] for row in rows])
    summary = RecipientSummary()
    for row in rows:
        pk, email, first, last, preferred, kind, suppressed_at, reason, erased_at, preference = row
        excluded = (
            mailing_exclusion(
                suppressed_at=suppressed_at,
                suppression_reason=reason,
                erased_at=erased_at,
                listed_reason=listed.get(email_digest(email)),
            )
            or preference
        )
        if excluded:
            summary.excluded[excluded] += 1
            continue
        language = recipient_language(preferred=preferred, available=available)
        if language is None:
            summary.excluded[NO_LANGUAGE] += 1
            continue
        summary.recipients.append(
            Recipient(
                journalist_id=pk,
                email=email,
                name=f"{first} {last}".strip(),
                language=language,
                outlet_kind=kind or "",
            )
        )
        summary.by_language[language] += 1
    return summary


class EmailDigest(SHA256):
    """contacts.models.email_digest in SQL. On PostgreSQL with the built-in sha256(),
    where Django's SHA256 needs the pgcrypto extension."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _exclusion_sql() -> Case:
    """mailing_exclusion (contacts.suppression) as an SQL expression, same order: erased,
    then suppressed with its reason, then the address's hash on the suppression list."""
    listed = Suppression.objects.filter(email_hash=EmailDigest(Lower(OuterRef("email"))))
    return Case(
        When(erased_at__isnull=False, then=Value(SuppressionReason.ERASED.value)),
        When(
            suppressed_at__isnull=False,
            then=Coalesce(
                NullIf(F("suppression_reason"), Value("")),
                Value(SuppressionReason.UNSUBSCRIBED.value),
            ),
        ),
        When(Exists(listed), then=Value(ON_SUPPRESSION_LIST)),
        default=Value(""),
    )


def _language_sql(available: list[str]) -> Case:
    """recipient_language as an SQL expression: the language each preferred language
    gets, "" when the mailing exists in none."""
    whens = [
        When(
            language=code, then=Value(recipient_language(preferred=code, available=available) or "")
        )
        for code in content_languages()
    ]
    fallback = recipient_language(preferred="", available=available) or ""
    return Case(*whens, default=Value(fallback))


def recipient_counts(
    *,
    journalists: QuerySet[Journalist],
    available: list[str],
    kind: str,
    release_id: int | None,
) -> RecipientCounts:
    """The counts mailing_recipients would give, computed by the database in one grouped
    query instead of reading every recipient (emails are stored trimmed, so hashing them
    lower-cased in SQL gives the suppression list's digest)."""
    rows = (
        journalists.order_by()
        .annotate(
            exclusion=_exclusion_sql(),
            preference=preference_exclusion(kind=kind, release_id=release_id),
            sent_in=_language_sql(available),
        )
        .values("exclusion", "preference", "sent_in")
        .annotate(count=Count("pk"))
    )
    counts = RecipientCounts()
    for row in rows:
        if row["exclusion"] or row["preference"]:
            counts.excluded[row["exclusion"] or row["preference"]] += row["count"]
        elif not row["sent_in"]:
            counts.excluded[NO_LANGUAGE] += row["count"]
        else:
            counts.by_language[row["sent_in"]] += row["count"]
    return counts


def mailing_recipient_counts(*, mailing: Mailing) -> RecipientCounts:
    """recipient_counts of a mailing as it is saved (three queries: lists, picked
    journalists, counts)."""
    return recipient_counts(
        journalists=mailing_audience(mailing=mailing),
        available=mailing_languages(mailing=mailing),
        kind=mailing.kind,
        release_id=mailing.release_id,
    )
