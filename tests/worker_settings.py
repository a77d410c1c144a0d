"""Settings of the worker processes that the process-level tests start: the project's
own, sending through Django's SMTP backend to the SMTP server the test runs, with a
lease short enough for a test to see a dead run resumed."""

import os

from press.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": int(os.environ["PRESSE_TEST_SMTP_PORT"]),
            "timeout": 30,
        },
    }
}
MAILINGS_LEASE_SECONDS = float(os.environ.get("PRESSE_TEST_LEASE_SECONDS", "5"))
