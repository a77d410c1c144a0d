from django.core.management.base import BaseCommand, CommandError

from press.coverage.management.commands._event import event_from_option
from press.coverage.report import coverage_export_write


class Command(BaseCommand):
    help = "Export the coverage items of an event to xlsx (formula-safe)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="The .xlsx file to write.")
        parser.add_argument("--event", help="Event slug (default: the current event).")

    def handle(self, *args, out, event=None, **options):
        found = event_from_option(event)
        try:
            count = coverage_export_write(event=found, target=out)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} coverage {'item' if count == 1 else 'items'} of {found.slug} "
                f"written to {out}."
            )
        )
