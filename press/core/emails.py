"""Email rendering and sending: MJML layouts compiled with mjml-python, a real plain-text
part, sent through the default mailer (django-anymail in production).

Two ways in:

- `send_email(...)` for one transactional message (an accreditation confirmation, a
  test of a mailing): render, compile, send, return the provider's message id.
- `email_compile(...)` for a mailing: render and compile once per language, leaving
  per-recipient placeholders that `PersonalTemplate.render` fills cheaply for each of
  thousands of recipients (see press.mailings.rendering).

Every MJML compilation goes through `mjml_compile`, which counts them: the mailing
benchmark reports the count, and the design promises at most one per (mailing, language).
"""

import email.message
import email.policy
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import mailers
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from mjml import mjml2html

_compilations = 0
_compilations_lock = threading.Lock()


def mjml_compile(source: str) -> str:
    """MJML to HTML; nothing fetched from font hosts. Raises ValueError on invalid MJML."""
    global _compilations
    with _compilations_lock:
        _compilations += 1
    return mjml2html(source, fonts={}, disable_comments=True)


def mjml_compilations() -> int:
    """How many MJML compilations this process has made (for benchmarks and tests)."""
    return _compilations


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def absolute_url(url: str) -> str:
    """A file's or a page's URL as a mail client needs it: on SITE_URL unless the
    storage already gives a full address (a bucket)."""
    if not url or "://" in url:
        return url
    return settings.SITE_URL + url


def email_context(*, language: str, event: Any) -> dict[str, Any]:
    """What every email's layout shows: the event's identity (its name, and the
    organiser's logo set on the event, on SITE_URL) and its press office (the caller
    says which event; None for an email that belongs to none)."""
    logo = getattr(event, "logo", None)
    return {
        "event": event,
        "site_url": settings.SITE_URL,
        "language": language,
        "logo_url": absolute_url(logo.url) if logo else "",
    }


def _subject_from_block(template: Any, context: dict[str, Any]) -> str:
    for node in template.template.nodelist.get_nodes_by_type(BlockNode):
        if node.name == "subject":
            ctx = Context(context, autoescape=False)
            with ctx.bind_template(template.template):
                rendered = node.render(ctx)
            return " ".join(rendered.split())
    return ""


def email_render(
    *, template: str, language: str, event: Any, context: dict[str, Any]
) -> RenderedEmail:
    """Render templates/emails/<template>.mjml (compiled to HTML) and <template>.txt in
    `language`, in the layout of `event`. The subject is `context["subject"]` when
    given, else the text template's `{% block subject %}` rendered on one line."""
    with translation.override(language):
        full_context = {**email_context(language=language, event=event), **context}
        text_template = get_template(f"emails/{template}.txt")
        source = get_template(f"emails/{template}.mjml").render(full_context)
        text = text_template.render(full_context)
        subject = str(context.get("subject") or "") or _subject_from_block(
            text_template, full_context
        )
    return RenderedEmail(subject=" ".join(subject.split()), html=mjml_compile(source), text=text)


# RFC 5322 allows header lines of 998 characters. Python's default policy folds at 78
# and turns a longer unbroken token, such as the unsubscribe URL in List-Unsubscribe,
# into RFC 2047 encoded words, which mail clients do not read as a URL any more.
MIME_POLICY = email.policy.default.clone(max_line_length=998)


class PressMessage(AnymailMessage):
    """AnymailMessage whose MIME form (SMTP, Amazon SES) keeps long headers readable."""

    def message(self, *, policy: email.policy.Policy = MIME_POLICY) -> Any:
        return super().message(policy=policy)


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows with `<img src="cid:{cid}">` (a Content-ID part,
    not a link: it shows without loading remote images)."""

    cid: str
    content: bytes
    filename: str
    subtype: str = "png"

    def part(self) -> email.message.MIMEPart:
        image = email.message.MIMEPart()
        image.set_content(
            self.content,
            maintype="image",
            subtype=self.subtype,
            disposition="inline",
            filename=self.filename,
            cid=f"<{self.cid}>",
        )
        return image


def email_message(
    *,
    subject: str,
    html: str,
    text: str,
    to: str,
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    tags: list[str] | None = None,
    metadata: dict | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    inline_images: Sequence[InlineImage] = (),
) -> AnymailMessage:
    message = PressMessage(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to or [],
        headers=headers or {},
        tags=tags or [],
        metadata=metadata or {},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    for image in inline_images:
        message.attach(image.part())
    return message


def message_id(message: Any) -> str | None:
    """The provider's id for a sent message (None with Django's non-anymail backends)."""
    status = getattr(message, "anymail_status", None)
    if status is None or not status.recipients:
        return None
    recipient = next(iter(status.recipients.values()))
    return None if recipient.message_id is None else str(recipient.message_id)


def send_email(
    *,
    template: str,
    to: str,
    language: str,
    event: Any,
    context: dict[str, Any],
    attachments: Sequence[tuple[str, bytes, str]] = (),
    from_email: str | None = None,
    reply_to: list[str] | None = None,
    tags: list[str] | None = None,
    metadata: dict | None = None,
    inline_images: Sequence[InlineImage] = (),
) -> str | None:
    """Render templates/emails/<template>.mjml and .txt in `language` with `context`
    (plus `event`, `site_url` and `language`) and send the message to `to` through the
    default mailer; `metadata` travels with it to the provider and comes back in its
    events. The subject is `context["subject"]` if given, otherwise the .txt template's
    `{% block subject %}`. `attachments` are (filename, content, mimetype);
    `inline_images` are parts the HTML shows by Content-ID. The sender is `from_email`,
    else the event's (`event.from_email()`), else DEFAULT_FROM_EMAIL.
    Returns the provider's message id (None with a non-anymail backend). Provider errors
    propagate (anymail's AnymailError); invalid MJML raises ValueError."""
    rendered = email_render(template=template, language=language, event=event, context=context)
    message = email_message(
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        to=to,
        from_email=from_email or (event.from_email() if event is not None else None),
        reply_to=reply_to,
        tags=tags,
        metadata=metadata,
        attachments=attachments,
        inline_images=inline_images,
    )
    mailers.default.send_messages([message])
    return message_id(message)


# Per-recipient personalisation -----------------------------------------------------

PERSONAL_FIELDS = ("greeting", "unsubscribe_url", "invitation_url", "release_url")


class PersonalTemplate:
    """Compiled email text with per-recipient holes.

    The holes are markers with a random nonce, written into the MJML before compilation
    (they survive it in text and in href), so text that staff typed into a release can
    never forge one. Filling them is a list join: no template engine per recipient."""

    def __init__(self, compiled: str, nonce: str, *, html: bool):
        pattern = re.compile(r"\[\[presse:" + re.escape(nonce) + r":(\w+)\]\]")
        parts = pattern.split(compiled)
        self.literals = parts[0::2]
        self.fields = parts[1::2]
        self.html = html

    def render(self, values: dict[str, str]) -> str:
        out = [self.literals[0]]
        for field, literal in zip(self.fields, self.literals[1:], strict=True):
            value = values.get(field, "")
            out.append(escape(value) if self.html else value)
            out.append(literal)
        return "".join(out)


@dataclass(frozen=True)
class CompiledEmail:
    subject: str
    html: PersonalTemplate
    text: PersonalTemplate


def email_compile(
    *, template: str, language: str, event: Any, context: dict[str, Any]
) -> CompiledEmail:
    """Render and compile an email once for many recipients in `language`: the context
    keys in PERSONAL_FIELDS become holes that `CompiledEmail.html.render(values)` and
    `.text.render(values)` fill per recipient."""
    nonce = secrets.token_hex(8)
    holes = {name: mark_safe(f"[[presse:{nonce}:{name}]]") for name in PERSONAL_FIELDS}  # noqa: S308
    rendered = email_render(
        template=template, language=language, event=event, context={**context, **holes}
    )
    return CompiledEmail(
        subject=rendered.subject,
        html=PersonalTemplate(rendered.html, nonce, html=True),
        text=PersonalTemplate(rendered.text, nonce, html=False),
    )
