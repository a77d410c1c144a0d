from django.core.management.base import BaseCommand, CommandError

from press.coverage.management.commands._event import event_from_option
from press.coverage.report import coverage_report_write


class Command(BaseCommand):
    help = (
        "Write the post-event coverage report (PDF) for the organisers: cover, summary "
        "figures, charts and the clippings list."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="The .pdf file to write.")
        parser.add_argument("--event", help="Event slug (default: the current event).")

    def handle(self, *args, out, event=None, **options):
        found = event_from_option(event)
        try:
            summary = coverage_report_write(event=found, target=out)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Coverage report of {found.slug} ({summary.items} "
                f"{'item' if summary.items == 1 else 'items'}) written to {out}."
            )
        )
