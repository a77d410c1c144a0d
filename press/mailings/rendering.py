"""A mailing's email in each language: compiled once per language, personalised per
recipient, with the checks that it has something to send; previews and tests."""

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import mailers
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from press.core.dates import datetime_long
from press.core.emails import (
    CompiledEmail,
    RenderedEmail,
    absolute_url,
    email_compile,
    email_message,
)
from press.core.sanitise import sanitise_html
from press.core.sizes import file_size
from press.core.translated import pick
from press.events.models import Event, sender_from
from press.mailings.enums import MailingKind
from press.mailings.errors import MailingError
from press.mailings.models import Mailing
from press.mailings.recipients import mailing_languages
from press.mailings.text import html_to_text
from press.releases.access import AccessHolder, release_access_grant
from press.releases.models import Release

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TOKEN_PLACEHOLDER = "--token--"
TEMPLATES: dict[str, str] = {
    MailingKind.RELEASE: "mailing_release",
    MailingKind.INVITATION: "mailing_invitation",
    MailingKind.ANNOUNCEMENT: "mailing_invitation",
}


def invitation_base_url() -> str | None:
    """Where an invitation's personal link points, in the active language; None while
    the accreditation form does not exist."""
    try:
        return settings.SITE_URL + reverse("accreditation:request") + "?invitation="
    except NoReverseMatch:
        return None


def mailing_content_problems(
    *, kind: str, release: Release | None, subject: dict[str, str], message: dict[str, str]
) -> list[MailingError]:
    """What a mailing of `kind` lacks before it can go out, as MailingErrors whose code
    names the missing part: "no_release", "no_subject", "no_message". The back office's
    form shows them on its fields; mailing_check refuses to send with the first."""
    problems: list[MailingError] = []
    if kind == MailingKind.RELEASE and release is None:
        problems.append(MailingError("no_release", _("Choose the release this mailing sends.")))
    if kind != MailingKind.RELEASE:
        if not any((subject or {}).values()):
            problems.append(
                MailingError("no_subject", _("Write a subject in at least one language."))
            )
        if not any((message or {}).values()):
            problems.append(
                MailingError("no_message", _("Write the message in at least one language."))
            )
    return problems


def mailing_check(*, mailing: Mailing) -> list[str]:
    """The languages the mailing can go out in; refuses (MailingError) a mailing with
    nothing to send: a missing part (see mailing_content_problems), a release with no
    language version ("no_language"), an invitation while the accreditation form does
    not exist ("no_accreditation_form")."""
    problems = mailing_content_problems(
        kind=mailing.kind,
        release=mailing.release,
        subject=mailing.subject,
        message=mailing.message,
    )
    if problems:
        raise problems[0]
    languages = mailing_languages(mailing=mailing)
    if not languages:
        raise MailingError("no_language", _("The release has no language version yet."))
    if mailing.kind == MailingKind.INVITATION and invitation_base_url() is None:
        raise MailingError(
            "no_accreditation_form",
            _("Invitations need the accreditation form, which is not available."),
        )
    return languages


@dataclass
class LanguagePack:
    """Everything a recipient's message needs in one language, computed once."""

    compiled: CompiledEmail
    greeting_named: str
    greeting_anonymous: str
    unsubscribe_url: str
    invitation_url: str
    # A release's public page, and its recipients' personal link (press.releases.access).
    public_release_url: str = ""
    personal_release_url: str = ""


def sender_address(mailing: Mailing) -> str:
    """The mailing's own sender if it has one, else its event's, else DEFAULT_FROM_EMAIL
    (name and address each)."""
    event = mailing_event(mailing)
    return sender_from(
        name=mailing.sender_name or (event.sender_name if event else ""),
        address=mailing.sender_email or (event.sender_email if event else ""),
    )


def reply_address(mailing: Mailing) -> str:
    if mailing.reply_to:
        return mailing.reply_to
    if mailing.event is not None:
        return mailing.event.press_email
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def embargo_when(moment: dt.datetime) -> str:
    """An embargo's end in the active language, with its time zone: journalists read
    it across Europe, in more than one zone."""
    return datetime_long(moment, zone=True)


def _release_context(release: Release, language: str) -> dict[str, Any]:
    embargo = release.embargo_until if release.is_embargoed() else None
    version = release.version_in(language)
    if version is None:
        raise MailingError("no_language", _("The release has no language version yet."))
    try:
        release_url = settings.SITE_URL + version.get_absolute_url()
    except NoReverseMatch:
        release_url = ""
    body = sanitise_html(version.body)
    attachments = [
        {
            "title": attachment.title_in(language),
            "url": absolute_url(attachment.file.url),
            "type": attachment.file_type(),
            "size": file_size(attachment.size),
            "credit": attachment.credit_in(language),
        }
        for attachment in release.attachments.all()
    ]
    featured = release.featured_thumbnail or release.featured_image
    return {
        "release": release,
        "version": version,
        "public_release_url": release_url,
        "body_html": mark_safe(body),  # noqa: S308 - sanitised just above
        "body_text": html_to_text(body),
        "standfirst": version.standfirst,
        "embargo_until": embargo,
        "embargo_when": embargo_when(embargo) if embargo else "",
        "attachments": attachments,
        "featured_image_url": absolute_url(featured.url) if featured else "",
        "featured_credit": release.featured_credit_in(language),
        "press_contacts": [
            {"name": c.name, "role": c.role_in(language), "email": c.email, "phone": c.phone}
            for c in release.contacts.all()
        ],
        "boilerplate": release.boilerplate.text_in(language) if release.boilerplate else "",
    }


def mailing_subject(*, mailing: Mailing, language: str) -> str:
    subject = mailing.subject_in(language)
    release = mailing.release
    if release is not None and release.embargo_until and release.is_embargoed():
        when = embargo_when(release.embargo_until)
        return gettext("EMBARGO until %(when)s: %(subject)s") % {"when": when, "subject": subject}
    return subject


def mailing_event(mailing: Mailing) -> Event | None:
    """The event whose name, dates and press office the email shows: its release's, else
    the mailing's (None for a mailing that belongs to no event)."""
    # A release's email belongs to the release's own event, not to whichever is current.
    if mailing.release is not None and mailing.release.event_id:
        return mailing.release.event
    if mailing.event_id:
        return mailing.event
    return None


def mailing_context(*, mailing: Mailing, language: str) -> dict[str, Any]:
    """The mailing-level context of its email in `language` (active when called)."""
    context = {
        "mailing": mailing,
        "subject": mailing_subject(mailing=mailing, language=language),
        "message": mailing.message.get(language) or pick(mailing.message, language),
        "embargo_until": None,
    }
    if mailing.kind == MailingKind.INVITATION:
        # An invitation says where the event is and until when the press may apply.
        event = mailing_event(mailing)
        context["invitation_event"] = event
        context["accreditation_closes_at"] = event.accreditation_closes_at if event else None
    if mailing.kind == MailingKind.RELEASE:
        if mailing.release is None:
            raise MailingError("no_release", _("Choose the release this mailing sends."))
        context.update(_release_context(mailing.release, language))
    return context


def language_pack(*, mailing: Mailing, language: str) -> LanguagePack:
    """Compile the mailing's email in `language`: the one MJML compilation per language."""
    with translation.override(language):
        context = mailing_context(mailing=mailing, language=language)
        unsubscribe = settings.SITE_URL + reverse(
            "mailings:unsubscribe", kwargs={"token": TOKEN_PLACEHOLDER}
        )
        invitation = ""
        if mailing.kind == MailingKind.INVITATION:
            invitation = invitation_base_url() or ""
        public_release_url = context.get("public_release_url", "")
        personal_release_url = ""
        if public_release_url:
            personal_release_url = settings.SITE_URL + reverse(
                "newsroom:personal", kwargs={"token": TOKEN_PLACEHOLDER}
            )
        greeting_named = gettext("Dear %(name)s,")
        greeting_anonymous = gettext("Hello,")
    compiled = email_compile(
        template=TEMPLATES[mailing.kind],
        language=language,
        event=mailing_event(mailing),
        context=context,
    )
    return LanguagePack(
        compiled=compiled,
        greeting_named=greeting_named,
        greeting_anonymous=greeting_anonymous,
        unsubscribe_url=unsubscribe,
        invitation_url=invitation,
        public_release_url=public_release_url,
        personal_release_url=personal_release_url,
    )


def _personal_values(
    pack: LanguagePack,
    *,
    name: str,
    token: str,
    unsubscribe_token: str,
    read_token: str | None = None,
) -> dict[str, str]:
    """`read_token` is the recipient's personal link to the release (its own token,
    which grants reading that release only); without one the button leads to the
    public page."""
    release_url = pack.public_release_url
    if read_token and pack.personal_release_url:
        release_url = pack.personal_release_url.replace(TOKEN_PLACEHOLDER, read_token)
    return {
        "greeting": pack.greeting_named % {"name": name} if name else pack.greeting_anonymous,
        "unsubscribe_url": pack.unsubscribe_url.replace(TOKEN_PLACEHOLDER, unsubscribe_token),
        "invitation_url": pack.invitation_url + token if pack.invitation_url else "",
        "release_url": release_url,
    }


def personal_message(
    mailing: Mailing,
    pack: LanguagePack,
    *,
    to: str,
    name: str,
    token: str,
    unsubscribe_token: str,
    subject: str | None = None,
    delivery_id: int | None = None,
    read_token: str | None = None,
) -> AnymailMessage:
    """The email of one recipient: `token` goes into the invitation link (if any),
    `unsubscribe_token` into the unsubscribe link and headers, `read_token` into the
    personal link to the release."""
    values = _personal_values(
        pack,
        name=name,
        token=token,
        unsubscribe_token=unsubscribe_token,
        read_token=read_token,
    )
    # The delivery id travels with the message and comes back in the provider's events
    # (anymail `metadata`): an event that arrives before the batch stored its message
    # ids still finds its delivery (see press.mailings.tracking.delivery_track).
    metadata = {"mailing": str(mailing.pk)}
    if delivery_id is not None:
        metadata["delivery"] = str(delivery_id)
    reply = reply_address(mailing)
    return email_message(
        subject=subject or pack.compiled.subject,
        html=pack.compiled.html.render(values),
        text=pack.compiled.text.render(values),
        to=to,
        from_email=sender_address(mailing),
        reply_to=[reply],
        headers={
            "List-Unsubscribe": (
                f"<{values['unsubscribe_url']}>, "
                f"<mailto:{reply}?subject=unsubscribe%20{unsubscribe_token}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tags=[f"mailing-{mailing.kind}"],
        metadata=metadata,
    )


def mailing_preview(*, mailing: Mailing, language: str) -> RenderedEmail:
    """The email as a recipient in `language` would get it, with a sample greeting."""
    mailing_check(mailing=mailing)
    pack = language_pack(mailing=mailing, language=language)
    with translation.override(language):
        name = gettext("Alex Martin")
    values = _personal_values(pack, name=name, token="preview", unsubscribe_token="preview")
    return RenderedEmail(
        subject=pack.compiled.subject,
        html=pack.compiled.html.render(values),
        text=pack.compiled.text.render(values),
    )


def mailing_send_test(*, mailing: Mailing, by: "User") -> list[str]:
    """Send the mailing to `by` (a staff user) once in each of its languages, subject
    marked as a test; the unsubscribe link of a test leads nowhere. Refuses a user
    without an address ("no_email"). Returns the languages sent."""
    if not by.email:
        raise MailingError("no_email", _("Your account has no email address to send a test to."))
    languages = mailing_check(mailing=mailing)
    name = by.get_full_name()
    read_token = None
    if mailing.release is not None:
        # The tester gets a personal link of their own, so that it works as a
        # recipient's would (and their openings are recorded under their address).
        tokens = release_access_grant(
            release=mailing.release, holders=[AccessHolder(email=by.email, name=name)]
        )
        read_token = tokens[by.email.strip().lower()]
    for language in languages:
        pack = language_pack(mailing=mailing, language=language)
        with translation.override(language):
            subject = gettext("[TEST] %(subject)s") % {"subject": pack.compiled.subject}
        message = personal_message(
            mailing,
            pack,
            to=by.email,
            name=name,
            token="test",
            unsubscribe_token="test",
            subject=subject,
            read_token=read_token,
        )
        mailers.default.send_messages([message])
    return languages
