"""anymail's tracking webhooks, with answers a provider understands.

- No shared secret configured: 403 for every call. anymail itself only warns when
  ANYMAIL["WEBHOOK_SECRET"] is missing and then accepts anything; a forged "bounced"
  or "complained" would suppress real journalists.
- Missing or wrong credentials: 401 with `WWW-Authenticate`, checked here before
  anymail sees the call (anymail answers 400, which providers read as "do not retry"
  and people as a broken payload). The basic-auth secret is required for every
  provider; Mailgun and MailerSend also sign their calls and need their signing key.
- A body that is not what the provider sends (not JSON, the wrong shape): 400, and
  nothing is changed; anymail would let the parsing error out as a 500.
- The database unavailable while events are applied: 503 with `Retry-After`, so the
  provider sends the call again; the events of one call are applied in one
  transaction, all or none, so the retried call applies each of them once.
"""

import base64
import binascii
import logging
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import URLPattern
from django.utils.crypto import constant_time_compare

logger = logging.getLogger(__name__)

REALM = "Presse provider webhooks"
RETRY_AFTER_SECONDS = 60
# What anymail's parsers raise on a body of the wrong shape (a list for a dict, a
# missing key, a date that does not parse, bytes that are not JSON).
MALFORMED = (ValueError, KeyError, TypeError, AttributeError, IndexError, LookupError)


class MalformedWebhookBody(Exception):
    """The provider's body could not be read as its events."""


def _secrets() -> list[str]:
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET")
    if not secret:
        return []
    return [secret] if isinstance(secret, str) else list(secret)


def _credentials(request) -> str | None:
    kind, _space, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if kind.lower() != "basic" or not encoded:
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _text(content: str, status: int) -> HttpResponse:
    return HttpResponse(content, status=status, content_type="text/plain; charset=utf-8")


def _unauthorised() -> HttpResponse:
    response = _text("Missing or wrong webhook credentials.", 401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def strict_view(view_class: Any) -> Any:
    """`view_class` (an anymail tracking view) whose parsing errors say so."""

    class Strict(view_class):
        def parse_events(self, request):
            try:
                return list(super().parse_events(request))
            except MALFORMED as error:
                raise MalformedWebhookBody from error

    Strict.__name__ = Strict.__qualname__ = view_class.__name__
    return Strict


def webhook_guard(view):
    """Credentials first, then the events in one transaction (see the module)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        secrets = _secrets()
        if not secrets:
            return HttpResponseForbidden(
                "Webhooks are disabled: set ANYMAIL_WEBHOOK_SECRET.", content_type="text/plain"
            )
        presented = _credentials(request)
        if presented is None or not any(constant_time_compare(presented, s) for s in secrets):
            return _unauthorised()
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except AnymailWebhookValidationFailure:
            # The provider's own signature (Mailgun, MailerSend) did not verify.
            return _unauthorised()
        except MalformedWebhookBody as error:
            logger.warning("Webhook %s refused: %r", request.path, error.__cause__ or error)
            return _text("The body is not a webhook call this endpoint understands.", 400)
        except DatabaseError:
            logger.exception(
                "Webhook %s: database unavailable, the provider will retry", request.path
            )
            response = _text("Temporarily unavailable; send this call again later.", 503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response

    guarded.csrf_exempt = True
    return guarded


def _guarded_pattern(pattern: URLPattern) -> URLPattern:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        callback = strict_view(view_class).as_view(**getattr(callback, "view_initkwargs", {}))
    return URLPattern(pattern.pattern, webhook_guard(callback), pattern.default_args, pattern.name)


app_name = anymail_urls.app_name
urlpatterns = [_guarded_pattern(pattern) for pattern in anymail_urls.urlpatterns]
