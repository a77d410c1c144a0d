"""anymail's tracking webhooks, refused outright while no shared secret is configured.

anymail itself only warns when ANYMAIL["WEBHOOK_SECRET"] is missing and then accepts
anything; a forged "bounced" or "complained" would suppress real journalists. Mailgun
and MailerSend sign their calls instead and additionally need their signing key in
ANYMAIL; the basic-auth secret is required for every provider here all the same.
"""

from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import HttpResponseForbidden
from django.urls import URLPattern


def webhook_secret_required(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
            return HttpResponseForbidden(
                "Webhooks are disabled: set ANYMAIL_WEBHOOK_SECRET.", content_type="text/plain"
            )
        return view(request, *args, **kwargs)

    guarded.csrf_exempt = True
    return guarded


app_name = anymail_urls.app_name
urlpatterns = [
    URLPattern(
        pattern.pattern,
        webhook_secret_required(pattern.callback),
        pattern.default_args,
        pattern.name,
    )
    for pattern in anymail_urls.urlpatterns
]
