import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from press.badges.errors import BadgeError
from press.badges.printing import LAYOUT_A6, LAYOUTS, badges_print
from press.badges.selectors import badges_printable
from press.events.models import Event
from press.events.selectors import current_event


class Command(BaseCommand):
    help = (
        "Print the approved badges not printed yet (all of them with --all) as one PDF "
        "and record them as printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="The .pdf file to write.")
        parser.add_argument("--event", help="Event slug (default: the current event).")
        parser.add_argument(
            "--all",
            dest="include_printed",
            action="store_true",
            help="Print every approved badge, those already printed too.",
        )
        parser.add_argument("--layout", choices=LAYOUTS, default=LAYOUT_A6)

    def handle(self, *args, out, event=None, include_printed=False, layout=LAYOUT_A6, **options):
        if event:
            found = Event.objects.filter(slug=event).first()
            if found is None:
                raise CommandError(_("No event with the short name “%(slug)s”.") % {"slug": event})
        else:
            found = current_event()
            if found is None:
                raise CommandError(_("There is no event: give one with --event."))
        badges = list(badges_printable(event=found, include_printed=include_printed))
        if not badges:
            self.stdout.write(_("No badge of %(event)s to print.") % {"event": found.slug})
            return
        target = Path(out)
        if target.is_dir() or (target.exists() and not os.access(target, os.W_OK)):
            raise CommandError(
                _("Cannot write %(path)s: %(error)s")
                % {"path": out, "error": _("it is a folder or a read-only file")}
            )
        # Written beside the target, then renamed: a failed run leaves no half PDF.
        try:
            handle, partial = tempfile.mkstemp(
                dir=target.parent if str(target.parent) else ".", suffix=".pdf.part"
            )
        except OSError as error:
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": out, "error": error.strerror}
            ) from error
        try:
            with os.fdopen(handle, "wb") as file:
                badges_print(badges=badges, by=None, out=file, layout=layout)
            os.replace(partial, target)
        except (OSError, BadgeError) as error:
            Path(partial).unlink(missing_ok=True)
            message = error.strerror if isinstance(error, OSError) else error.message
            raise CommandError(
                _("Cannot write %(path)s: %(error)s") % {"path": out, "error": message}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(count)s badge of %(event)s printed to %(path)s.",
                    "%(count)s badges of %(event)s printed to %(path)s.",
                    len(badges),
                )
                % {"count": len(badges), "event": found.slug, "path": out}
            )
        )
