from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from press.accreditation.errors import AccreditationError
from press.accreditation.kept import uploads_kept_purge
from press.accreditation.privacy import identity_documents_purge, purge_due_on
from press.events.models import Event

# The files a purge removes, in the command's output: (one, several).
FILE_NAMES = {
    "press_card": ("press card", "press cards"),
    "letter": ("letter", "letters"),
    "photo": ("photo", "photos"),
}


class Command(BaseCommand):
    help = (
        "Delete the press cards and letters of assignment (and, with --photos, the photos) "
        "of finished events once IDENTITY_DOCUMENT_RETENTION_DAYS have passed; keeps the "
        "rest of each request; deletes the files of failed request forms kept over 24 hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--event", help="Only this event (slug).")
        parser.add_argument("--photos", action="store_true", help="Delete badge photos too.")

    def handle(self, *args, event=None, photos=False, **options):
        # Files kept for a form that failed validation live 24 hours, whatever the event.
        kept = uploads_kept_purge()
        if kept:
            self.stdout.write(
                f"Request forms: removed {kept} kept upload{'s' if kept != 1 else ''}."
            )
        if event:
            events = list(Event.objects.filter(slug=event))
            if not events:
                raise CommandError(f"No event with the slug {event!r}.")
        else:
            today = timezone.localdate()
            events = [e for e in Event.objects.order_by("ends_on") if purge_due_on(e) <= today]
            if not events:
                self.stdout.write(
                    "No event is past its retention period "
                    f"({settings.IDENTITY_DOCUMENT_RETENTION_DAYS} days after its last day)."
                )
                return
        for found in events:
            try:
                removed = identity_documents_purge(event=found, include_photos=photos)
            except AccreditationError as error:
                raise CommandError(error.message) from error
            summary = ", ".join(
                f"{count} {FILE_NAMES[kind][count != 1]}" for kind, count in removed.items()
            )
            self.stdout.write(self.style.SUCCESS(f"{found.slug}: removed {summary}."))
