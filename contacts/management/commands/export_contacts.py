from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.exporting import journalists_export
from contacts.models import ContactList, Journalist


class Command(BaseCommand):
    help = "Export journalists (all, or one list's) to an xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path)
        parser.add_argument("--list", dest="list_name", default="", help="Only this list.")

    def handle(self, *args, out: Path, list_name: str, **options):
        queryset = Journalist.objects.all()
        if list_name:
            contact_list = ContactList.objects.filter(name__iexact=list_name.strip()).first()
            if contact_list is None:
                raise CommandError(_("No list is called “%(name)s”.") % {"name": list_name})
            queryset = queryset.filter(lists=contact_list)
        try:
            count = journalists_export(target=out, queryset=queryset)
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": out, "error": error.strerror}
            ) from error
        self.stdout.write(
            ngettext(
                "%(count)s journalist exported to %(file)s.",
                "%(count)s journalists exported to %(file)s.",
                count,
            )
            % {"count": count, "file": out}
        )
