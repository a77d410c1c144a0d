"""Benchmark: send a bilingual release to N journalists through anymail's test backend.

    .venv/bin/python bench/mailing.py [--journalists 10000] [--batch-size 500]

Builds a throw-away SQLite database in a temporary DATA_DIR (schema straight from the
models), loads N journalists (half French, half English) on one list, then times
press.mailings.sending.mailing_send: freezing the recipients, rendering, handing every
message to the backend and the delivery bookkeeping. Prints one JSON object on its last
line: recipients, seconds, messages_per_second, mjml_compilations, queries, batches,
peak_rss_mb.
"""

import argparse
import itertools
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import throwaway_django  # noqa: E402


def setup(data_dir: str) -> None:
    throwaway_django(data_dir, mailer="bench.mailing.CountingTestBackend")


def _test_backend():
    from anymail.backends.test import EmailBackend

    class CountingTestBackend(EmailBackend):
        """anymail's test backend with a counter for message ids: the stock one looks
        each message up in the outbox (a linear search per message)."""

        ids = itertools.count()

        def get_esp_message_id(self, message):
            return f"bench-{next(self.ids)}"

    return CountingTestBackend


def __getattr__(name):
    if name == "CountingTestBackend":
        return _test_backend()
    raise AttributeError(name)


BODY = "".join(
    f"<h2>Section {n}</h2><p>Les villes européennes se réunissent pour parler de sécurité "
    f"urbaine, de prévention et de démocratie locale. Paragraphe {n} avec un "
    f'<a href="https://example.org/doc/{n}">lien</a> et du <strong>texte</strong>.</p>'
    for n in range(24)
)


def load(count: int):
    import datetime as dt

    from django.utils import timezone

    from contacts.models import ContactList, Journalist, Outlet
    from press.events.models import Event
    from press.mailings.models import Mailing
    from press.releases.models import Release, ReleaseVersion

    event = Event.objects.create(
        slug="bench",
        name={"fr": "Conférence", "en": "Conference"},
        starts_on=dt.date(2030, 3, 20),
        ends_on=dt.date(2030, 3, 22),
        venue="Square",
        city="Bruxelles",
        country="BE",
        press_email="press@bench.example",
    )
    outlets = Outlet.objects.bulk_create(
        [
            Outlet(name=f"Outlet {n}", kind=kind, country="BE")
            for n, kind in enumerate(["newspaper", "radio", "tv", "online", "agency"] * 4)
        ]
    )
    journalists = Journalist.objects.bulk_create(
        [
            Journalist(
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                email=f"journalist{n}@media{n % 97}.example",
                language="fr" if n % 2 else "en",
                outlet=outlets[n % len(outlets)],
                country="BE",
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    contact_list = ContactList.objects.create(name="Everyone")
    through = Journalist.lists.through
    through.objects.bulk_create(
        [through(journalist_id=j.pk, contactlist_id=contact_list.pk) for j in journalists],
        batch_size=1000,
    )
    release = Release.objects.create(
        event=event, status="published", publish_at=timezone.now(), dateline_place="Bruxelles"
    )
    for language, title in (("fr", "Les villes s'engagent"), ("en", "Cities commit")):
        ReleaseVersion.objects.create(
            release=release,
            language=language,
            title=title,
            slug=f"bench-{language}",
            standfirst="Chapeau / standfirst.",
            body=BODY,
        )
    mailing = Mailing.objects.create(event=event, release=release, sender_name="Presse")
    mailing.lists.add(contact_list)
    return mailing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journalists", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=500)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="presse-bench-") as data_dir:
        setup(data_dir)
        from django.core import mail
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from press.core.emails import mjml_compilations
        from press.mailings.sending import mailing_send

        mailing = load(options.journalists)
        mail.outbox = []
        compilations = mjml_compilations()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = mailing_send(mailing=mailing, batch_size=options.batch_size)
            seconds = time.perf_counter() - started
        delivered = mailing.deliveries.filter(state="sent").count()
        assert delivered == report.sent == len(mail.outbox) == options.journalists, (
            delivered,
            report.sent,
            len(mail.outbox),
        )
        assert len({m.to[0] for m in mail.outbox}) == options.journalists
        figures = {
            "recipients": report.sent,
            "seconds": round(seconds, 3),
            "messages_per_second": round(report.sent / seconds, 1),
            "mjml_compilations": mjml_compilations() - compilations,
            "queries": len(queries),
            "batches": report.batches,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        print(
            f"Sent {report.sent} messages in {report.batches} batches of "
            f"{options.batch_size}; last message {len(mail.outbox[-1].alternatives[0].content)} "
            "bytes of HTML."
        )
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
