"""Who a mailing reaches, in which language, and who is left out and why."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from contacts.enums import SuppressionReason
from contacts.models import Journalist, email_digest
from contacts.suppression import ON_SUPPRESSION_LIST, mailing_exclusion, suppression_reasons
from press.core.translated import content_languages, fallback_order
from press.mailings.enums import MailingKind
from press.mailings.models import Mailing
from press.releases.models import Release

EXCLUSION_LABELS = {
    SuppressionReason.UNSUBSCRIBED: _("Unsubscribed"),
    SuppressionReason.BOUNCED: _("Address bounced"),
    SuppressionReason.COMPLAINED: _("Marked a mailing as spam"),
    SuppressionReason.ERASED: _("Erased on request"),
    ON_SUPPRESSION_LIST: _("Address on the suppression list"),
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


def preference_exclusion(
    *,
    kind: str,
    wants_releases: bool,
    wants_invitations: bool,
    chose_topics: bool,
    shares_topic: bool,
    release_has_topics: bool,
) -> str | None:
    """Why a journalist's own choices leave them out of a mailing of this kind, or None:
    releases and invitations each can be turned off; a journalist who chose topics gets
    only releases filed under one of them (a release without topics reaches everyone
    who wants releases). Announcements are not affected."""
    if kind == MailingKind.RELEASE:
        if not wants_releases:
            return NO_RELEASES
        if chose_topics and release_has_topics and not shares_topic:
            return OTHER_TOPICS
    if kind == MailingKind.INVITATION and not wants_invitations:
        return NO_INVITATIONS
    return None


@dataclass
class Recipient:
    journalist_id: int
    email: str
    name: str
    language: str
    outlet_kind: str


@dataclass
class RecipientSummary:
    recipients: list[Recipient] = field(default_factory=list)
    by_language: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return len(self.recipients)

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
        return [(str(EXCLUSION_LABELS[reason]), count) for reason, count in self.excluded.items()]


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


def recipient_language(*, preferred: str, available: list[str]) -> str | None:
    """The journalist's preferred language when the mailing exists in it, else the
    first available one in settings order (None when nothing is available)."""
    for code in fallback_order(preferred):
        if code in available:
            return code
    return None


def mailing_audience(*, mailing: Mailing) -> QuerySet[Journalist]:
    """Journalists the mailing is addressed to, before exclusions: members of its lists
    and (when it says so) the newsroom's subscribers, narrowed by its filters (the whole
    file narrowed by the filters when it has neither), plus the journalists picked one
    by one."""
    filters = Q()
    if mailing.countries:
        filters &= Q(country__in=[str(country) for country in mailing.countries])
    if mailing.languages:
        filters &= Q(language__in=mailing.languages)
    if mailing.outlet_kinds:
        filters &= Q(outlet__kind__in=mailing.outlet_kinds)
    list_ids = [contact_list.pk for contact_list in mailing.lists.all()]
    chosen = Q(pk__in=[journalist.pk for journalist in mailing.journalists.all()])
    sources = Q()
    if list_ids:
        members = Journalist.lists.through.objects.filter(contactlist_id__in=list_ids)
        sources |= Q(pk__in=members.values("journalist_id"))
    if mailing.subscribers:
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
    chosen_topics = Journalist.topics.through.objects.filter(journalist_id=OuterRef("pk"))
    # The release's topics (none for other kinds of mailing), read inside the one query.
    release_topics = Release.topics.through.objects.filter(
        release_id=mailing.release_id or 0
    ).values("topic_id")
    rows = list(
        mailing_audience(mailing=mailing)
        .annotate(
            chose_topics=Exists(chosen_topics),
            shares_topic=Exists(chosen_topics.filter(topic_id__in=release_topics)),
            release_has_topics=Exists(release_topics),
        )
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
            "wants_releases",
            "wants_invitations",
            "chose_topics",
            "shares_topic",
            "release_has_topics",
        )
    )
    listed = suppression_reasons([row[1] for row in rows])
    summary = RecipientSummary()
    for (
        pk,
        email,
        first,
        last,
        preferred,
        kind,
        suppressed_at,
        reason,
        erased_at,
        wants_releases,
        wants_invitations,
        chose_topics,
        shares_topic,
        release_has_topics,
    ) in rows:
        excluded = mailing_exclusion(
            suppressed_at=suppressed_at,
            suppression_reason=reason,
            erased_at=erased_at,
            listed_reason=listed.get(email_digest(email)),
        ) or preference_exclusion(
            kind=mailing.kind,
            wants_releases=wants_releases,
            wants_invitations=wants_invitations,
            chose_topics=chose_topics,
            shares_topic=shares_topic,
            release_has_topics=release_has_topics,
        )
        if excluded:
            summary.excluded[excluded] += 1
            continue
        language = recipient_language(preferred=preferred, available=available)
        if language is None:
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
