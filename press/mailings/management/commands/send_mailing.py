from django.core.management.base import BaseCommand, CommandError

from press.mailings.errors import MailingError
from press.mailings.models import Mailing
from press.mailings.sending import BATCH_SIZE, mailing_send


class Command(BaseCommand):
    help = (
        "Send a mailing now in this process, or resume one whose worker stopped: only the "
        "recipients still waiting get it."
    )

    def add_arguments(self, parser):
        parser.add_argument("mailing_id", type=int)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, mailing_id, batch_size, **options):
        mailing = Mailing.objects.filter(pk=mailing_id).first()
        if mailing is None:
            raise CommandError(f"No mailing with id {mailing_id}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            report = mailing_send(mailing=mailing, batch_size=batch_size)
        except MailingError as error:
            raise CommandError(f"{error.message} ({error.code})") from error
        mailing.refresh_from_db()
        self.stdout.write(
            f"Mailing {mailing.pk} ({mailing.get_state_display()}): sent {report.sent}, "
            f"failed {report.failed}, skipped {report.skipped}, in {report.batches} batches."
        )
