"""Subscribing to the newsroom, with double opt-in, and the journalist's own choices.

1. `subscription_ask` records what the newsroom's form asked (a pending Subscription
   with an unguessable token); the caller sends the confirmation email.
2. `subscription_confirm`, from the emailed link, puts the journalist in the media file
   (created, or its empty fields filled), records the consent (time and text version)
   and their choices, and is the only way a suppressed address becomes mailable again
   (contacts.suppression.suppression_lift_on_subscription).
3. `preferences_update`, from the preference page every mailing links to, changes what
   they receive.

Asking again for the same address within `RESEND_AFTER` sends no second email, so the
form cannot be used to flood someone's mailbox.
"""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from contacts.cleaning import email_is_valid, email_normalise
from contacts.enums import ConsentBasis, ContactSource
from contacts.journalists import ContactError, journalist_by_email, outlet_match
from contacts.models import Journalist, Subscription
from contacts.suppression import suppression_lift_on_subscription
from press.core.emails import send_email
from press.events.selectors import current_event
from press.releases.models import Topic

# The version of the consent text shown on the form; change it when the text changes.
CONSENT_VERSION = "2026-12"
CONFIRM_WITHIN = dt.timedelta(days=7)
RESEND_AFTER = dt.timedelta(minutes=15)


class SubscriptionError(ContactError):
    """A confirmation link that cannot be used: code "unknown" or "expired"."""


def subscription_ask(
    *,
    email: str,
    first_name: str,
    last_name: str,
    outlet_name: str,
    language: str,
    wants_releases: bool,
    wants_invitations: bool,
    topics: Iterable[Topic],
) -> Subscription | None:
    """Record a subscription waiting for its confirmation. Returns it when a
    confirmation email should be sent now, None when one was sent to this address less
    than RESEND_AFTER ago (the form answers the same either way)."""
    normal = email_normalise(email)
    if not email_is_valid(normal):
        raise ContactError("invalid_email", _("Enter a valid email address."))
    now = timezone.now()
    recent = Subscription.objects.annotate(email_ci=Lower("email")).filter(
        email_ci=normal, confirmed_at__isnull=True, created_at__gte=now - RESEND_AFTER
    )
    if recent.exists():
        return None
    return Subscription.objects.create(
        email=normal,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        outlet_name=outlet_name.strip(),
        language=language,
        wants_releases=wants_releases,
        wants_invitations=wants_invitations,
        topic_slugs=sorted(topic.slug for topic in topics),
        consent_version=CONSENT_VERSION,
        token=secrets.token_urlsafe(32),
    )


def subscription_by_token(token: str) -> Subscription | None:
    """The subscription this confirmation link belongs to, or None."""
    if not token:
        return None
    return Subscription.objects.filter(token=token).select_related("journalist").first()


def subscription_is_expired(subscription: Subscription, *, at: dt.datetime) -> bool:
    return subscription.confirmed_at is None and at - subscription.created_at > CONFIRM_WITHIN


def subscription_confirm(*, token: str, at: dt.datetime | None = None) -> Subscription:
    """Confirm from the emailed link: the journalist is in the media file with the
    subscription's choices and consent, and mailable again. Confirming twice changes
    nothing the second time. Refuses an unknown link (code "unknown") and one older than
    CONFIRM_WITHIN (code "expired")."""
    at = at or timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().filter(token=token).first() if token else None
        )
        if subscription is None:
            raise SubscriptionError(
                "unknown", _("This confirmation link is not valid: it may have been cut.")
            )
        if subscription.confirmed_at is not None:
            return subscription
        if subscription_is_expired(subscription, at=at):
            raise SubscriptionError(
                "expired", _("This confirmation link has expired: please subscribe again.")
            )
        journalist = _journalist_for(subscription, at=at)
        subscription.confirmed_at = at
        subscription.journalist = journalist
        subscription.save(update_fields=["confirmed_at", "journalist"])
    return subscription


def _journalist_for(subscription: Subscription, *, at: dt.datetime) -> Journalist:
    """The subscriber's record: found by address or created; only empty fields are
    filled from the form (the office's data wins); the choices, consent and
    subscription time are the subscriber's."""
    journalist = journalist_by_email(subscription.email)
    suppression_lift_on_subscription(email=subscription.email, journalist=journalist)
    if journalist is None or journalist.erased_at is not None:
        # An erased record stays anonymous; the person starts a new one.
        journalist = Journalist(
            email=subscription.email,
            source=ContactSource.SUBSCRIPTION,
            language=subscription.language,
        )
    for field in ("first_name", "last_name"):
        if not getattr(journalist, field):
            setattr(journalist, field, getattr(subscription, field))
    if journalist.outlet_id is None:
        journalist.outlet = outlet_match(name=subscription.outlet_name)
    journalist.language = subscription.language
    journalist.wants_releases = subscription.wants_releases
    journalist.wants_invitations = subscription.wants_invitations
    journalist.consent_basis = ConsentBasis.CONSENT
    journalist.consent_at = at
    journalist.subscribed_at = journalist.subscribed_at or at
    journalist.save()
    journalist.topics.set(Topic.objects.filter(slug__in=subscription.topic_slugs))
    return journalist


def preferences_update(
    *,
    journalist: Journalist,
    wants_releases: bool,
    wants_invitations: bool,
    language: str,
    topics: Iterable[Topic],
) -> Journalist:
    """What the journalist chose on their preference page. Does not lift a suppression:
    an unsubscribed journalist comes back only through a confirmed subscription."""
    journalist.wants_releases = wants_releases
    journalist.wants_invitations = wants_invitations
    journalist.language = language
    journalist.save(update_fields=["wants_releases", "wants_invitations", "language", "updated_at"])
    journalist.topics.set(list(topics))
    return journalist


def subscription_confirm_url(subscription: Subscription) -> str:
    """The absolute confirmation link, in the subscriber's language."""
    with translation.override(subscription.language):
        path = reverse("newsroom:subscribe_confirm", kwargs={"token": subscription.token})
    return f"{settings.SITE_URL}{path}"


def subscription_confirmation_send(*, subscription: Subscription) -> None:
    """The double opt-in email, in the subscriber's language, from the current event's
    press office."""
    name = f"{subscription.first_name} {subscription.last_name}".strip()
    send_email(
        template="subscription_confirm",
        to=subscription.email,
        language=subscription.language,
        event=current_event(),
        context={
            "name": name,
            "confirm_url": subscription_confirm_url(subscription),
            "valid_days": CONFIRM_WITHIN.days,
        },
        tags=["subscription"],
    )
