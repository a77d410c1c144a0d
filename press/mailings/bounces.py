"""A provider's or a mail server's error, said the way a press officer understands it.

Providers pass on what the receiving server answered ("550 5.1.1 <x@y>: Recipient
address rejected: User unknown in virtual mailbox table"). The report shows a sentence
for the common cases and keeps the raw text at hand for whoever needs it.
"""

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# In order: the first pattern found in the raw text (any case) gives the sentence.
# Enhanced status codes (RFC 3463) come first, as they are the most precise, then the
# words providers and servers commonly use.
EXPLANATIONS: list[tuple[re.Pattern, Promise]] = [
    (
        re.compile(
            r"\b5\.1\.[0136]\b|user unknown|no such user|unknown user|does not exist|"
            r"mailbox unavailable|recipient address rejected|invalid recipient|"
            r"address not found|no mailbox",
            re.I,
        ),
        _("The address does not exist (any more): check it with the journalist or the outlet."),
    ),
    (
        re.compile(
            r"\b5\.1\.2\b|host unknown|domain not found|no mx|nxdomain|"
            r"unrouteable|unroutable",
            re.I,
        ),
        _("The address's domain does not receive email: probably a typing error."),
    ),
    (
        re.compile(
            r"\b[45]\.2\.2\b|mailbox full|over quota|quota exceeded|insufficient storage", re.I
        ),
        _("The journalist's mailbox is full: try again later or another address."),
    ),
    (
        re.compile(
            r"\b5\.7\.1\b|\bspam\b|blocked|blacklist|blocklist|denied|policy|"
            r"reputation|not allowed|rejected for policy",
            re.I,
        ),
        _(
            "The receiving server refused the message as unwanted: the outlet's filter "
            "blocks it; ask the journalist to allow the sender address."
        ),
    ),
    (
        re.compile(r"\b5\.2\.1\b|disabled|inactive|suspended|deactivated", re.I),
        _("The mailbox is closed or suspended: the journalist may have left the outlet."),
    ),
    (
        re.compile(r"\b5\.3\.4\b|too large|size limit|message size", re.I),
        _("The message was too large for the receiving server: lighten the attachments."),
    ),
    (
        re.compile(r"\b4\.\d\.\d\b|timed? ?out|temporar|try again later|greylist|deferred", re.I),
        _(
            "The receiving server did not answer in time or asked to wait; the provider "
            "gave up after several tries."
        ),
    ),
    (
        re.compile(r"suppress|previously bounced|unsubscribed|on the .*list", re.I),
        _(
            "The provider did not send it: the address is on its list of addresses not to "
            "mail (an earlier bounce, complaint or unsubscription)."
        ),
    ),
    (
        re.compile(
            r"smtp|connection|refused|ssl|tls|authenticat|credential|api key|"
            r"unauthori[sz]ed|forbidden",
            re.I,
        ),
        _(
            "Our sending service could not hand the message over: the technical "
            "team should check the mail settings."
        ),
    ),
]


def error_explained(raw: str) -> str:
    """A sentence in the active language for a provider's or server's error text, or
    "" when there is none or nothing known matches (the raw text then speaks alone)."""
    if not raw:
        return ""
    for pattern, sentence in EXPLANATIONS:
        if pattern.search(raw):
            return str(sentence)
    return ""
