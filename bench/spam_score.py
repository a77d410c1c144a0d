"""Benchmark: how SpamAssassin scores every kind of email journalists receive.

    .venv/bin/python bench/spam_score.py [--limit 1.0]

Builds a throw-away SQLite database in a temporary DATA_DIR (schema straight from the
models), loads the demo (press.demo: an event, releases, badge requests in every state),
then renders each kind of email in French and in English exactly as it is sent (MIME
message, headers, HTML and text parts, attachments): a release, an embargoed release,
an invitation, the confirmation of a badge request and each decision (approved,
waitlisted, rejected, cancelled, withdrawn) and the newsroom subscription's
confirmation. Each message is scored by Debian's SpamAssassin with local tests only
(`spamassassin -L -t`: no DNS, no network).

Without spamassassin installed (apt-get install spamassassin) it says so and exits 0
with {"skipped": …} as its last line. Otherwise the last line is one JSON object:
scores ({kind-language: score}), rules ({kind-language: [rule, …]}), max, limit,
over_limit and skipped. Exits 1 when a score is over the limit.
"""

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import throwaway_django  # noqa: E402

SPAMASSASSIN = shutil.which("spamassassin")
STATUS = re.compile(
    r"^X-Spam-Status: .*?score=(-?[\d.]+).*?tests=(.*?)(?:autolearn=|version=)", re.S | re.M
)
SKIPPED: dict[str, str] = {}


def setup(data_dir: str) -> None:
    throwaway_django(
        data_dir,
        mailer="django.core.mail.backends.locmem.EmailBackend",
        # Links as in production (https, no port): the development address on port 8000
        # would score WEIRD_PORT, which no journalist's copy carries.
        SITE_URL="https://presse.example.org",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    )
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def score(raw: bytes) -> tuple[float, list[str]]:
    """SpamAssassin's score of one message and the rules that fired (local tests)."""
    assert SPAMASSASSIN is not None
    result = subprocess.run(
        [SPAMASSASSIN, "-L", "-t"], input=raw, capture_output=True, check=True, timeout=120
    )
    match = STATUS.search(result.stdout.decode("utf-8", "replace"))
    if match is None:
        raise RuntimeError("spamassassin gave no X-Spam-Status header")
    rules = [rule.strip() for rule in re.split(r"[,\s]+", match.group(2)) if rule.strip()]
    return float(match.group(1)), [rule for rule in rules if rule != "none"]


def mailing_messages(language: str) -> dict[str, bytes]:
    """A release, the same release under embargo, and an invitation, in `language`."""
    from django.utils import timezone

    from press.mailings.enums import MailingKind
    from press.mailings.models import Mailing
    from press.mailings.rendering import language_pack, personal_message

    release_mailing = Mailing.objects.filter(kind=MailingKind.RELEASE).first()
    invitation = Mailing.objects.filter(kind=MailingKind.INVITATION).first()
    assert release_mailing is not None and invitation is not None, "the demo has no mailings"
    release = release_mailing.release
    messages = {}

    def render(mailing: Mailing) -> bytes:
        pack = language_pack(mailing=mailing, language=language)
        message = personal_message(
            mailing,
            pack,
            to="lea.martin@lesoir.example",
            name="Léa Martin",
            token="t" * 43,
            unsubscribe_token="u" * 43,
            read_token="r" * 32,
        )
        return message.message().as_bytes()

    saved = release.embargo_until
    release.embargo_until = None
    messages["release"] = render(release_mailing)
    release.embargo_until = timezone.now() + dt.timedelta(days=2)
    messages["embargoed_release"] = render(release_mailing)
    release.embargo_until = saved
    messages["invitation"] = render(invitation)
    return messages


def accreditation_messages(language: str) -> dict[str, bytes]:
    """The confirmation of a request and each decision, in `language`, as sent."""
    from django.core import mail

    from press.accreditation.emails import EMAIL_FOR_STATE, RECEIVED, badge_request_email_send
    from press.accreditation.enums import BadgeRequestState
    from press.accreditation.models import BadgeRequest, BadgeRequestEmail

    messages = {}
    kinds = {"received": (BadgeRequestState.SUBMITTED, RECEIVED)} | {
        state.value: (state, template) for state, template in EMAIL_FOR_STATE.items()
    }
    for kind, (state, template) in kinds.items():
        badge_request = BadgeRequest.objects.filter(state=state).first()
        assert badge_request is not None, f"the demo has no {state} request"
        badge_request.language = language
        badge_request.save(update_fields=["language"])
        email = BadgeRequestEmail.objects.create(
            badge_request=badge_request, template=template, to=badge_request.email
        )
        mail.outbox = []
        assert badge_request_email_send(email=email), f"the {kind} email was not sent"
        messages[f"accreditation_{kind}"] = mail.outbox[-1].message().as_bytes()
    return messages


def subscription_messages(language: str) -> dict[str, bytes]:
    """The double opt-in email of a newsroom subscription, in `language`, as sent."""
    from django.core import mail

    from contacts.subscriptions import subscription_ask, subscription_confirmation_send

    subscription = subscription_ask(
        email=f"subscriber-{language}@outlet.example",
        first_name="Inês",
        last_name="Duarte",
        outlet_name="Público",
        language=language,
        wants_releases=True,
        wants_invitations=True,
        topics=[],
    )
    assert subscription is not None
    mail.outbox = []
    subscription_confirmation_send(subscription=subscription)
    return {"subscription_confirmation": mail.outbox[-1].message().as_bytes()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=1.0, help="the highest score accepted")
    args = parser.parse_args()
    if SPAMASSASSIN is None:
        print("spamassassin is not installed (apt-get install spamassassin): nothing scored")
        print(json.dumps({"skipped": "spamassassin not installed"}))
        return 0
    with tempfile.TemporaryDirectory(prefix="presse-spam-") as data_dir:
        setup(data_dir)
        from django.conf import settings

        scores: dict[str, float] = {}
        rules: dict[str, list[str]] = {}
        for language, _name in settings.LANGUAGES:
            for kind, raw in {
                **mailing_messages(language),
                **accreditation_messages(language),
                **subscription_messages(language),
            }.items():
                name = f"{kind}-{language}"
                scores[name], rules[name] = score(raw)
                print(f"{name}: {scores[name]:.1f} {' '.join(rules[name])}")
    over = sorted(name for name, value in scores.items() if value > args.limit)
    print(
        json.dumps(
            {
                "scores": scores,
                "rules": rules,
                "max": max(scores.values()),
                "limit": args.limit,
                "over_limit": over,
                "skipped": SKIPPED,
            },
            ensure_ascii=False,
        )
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
