from django.core.management.base import BaseCommand, CommandError

from press.accreditation.export import (
    accreditation_headers,
    accreditation_queryset,
    accreditation_rows,
)
from press.accreditation.models import BadgeRequestState
from press.core.spreadsheets import write_xlsx
from press.events.models import Event
from press.events.selectors import current_event


class Command(BaseCommand):
    help = (
        "Export badge requests to xlsx for the venue's security and the badge printer "
        "(approved ones by default; formula-safe)."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="The .xlsx file to write.")
        parser.add_argument("--event", help="Event slug (default: the current event).")
        parser.add_argument(
            "--state",
            action="append",
            choices=BadgeRequestState.values,
            help="States to include, repeatable (default: approved).",
        )
        parser.add_argument(
            "--all", dest="every_state", action="store_true", help="Include every state."
        )

    def handle(self, *args, out, event=None, state=None, every_state=False, **options):
        if event:
            found = Event.objects.filter(slug=event).first()
            if found is None:
                raise CommandError(f"No event with the slug {event!r}.")
        else:
            found = current_event()
            if found is None:
                raise CommandError("There is no event to export.")
        states = () if every_state else (state or [BadgeRequestState.APPROVED])
        requests = accreditation_queryset(event=found, states=states)
        try:
            count = write_xlsx(
                out,
                title="Accreditations",
                headers=accreditation_headers(),
                rows=accreditation_rows(requests),
            )
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} badge {'request' if count == 1 else 'requests'} of {found.slug} "
                f"written to {out}."
            )
        )
