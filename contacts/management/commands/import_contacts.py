from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contacts.imports.applying import contacts_import
from contacts.imports.planning import ImportPlan
from contacts.imports.reading import UnreadableSpreadsheet

# Smaller files are done before anyone would look at a progress line.
PROGRESS_FROM_ROWS = 2000


def _report_lines(plan: ImportPlan, *, dry_run: bool) -> list[str]:
    counts = plan.counts()
    lines = []
    for entry in plan.updated + plan.unchanged + plan.created:
        for note in entry.notes:
            lines.append(
                _("row %(row)s %(email)s: %(message)s")
                % {"row": entry.row, "email": entry.email, "message": note.message}
            )
    for refusal in plan.refused:
        lines.append(
            _("row %(row)s refused: %(message)s")
            % {"row": refusal.row, "message": refusal.note.message}
        )
    if plan.columns.unknown:
        lines.append(
            _("Columns ignored: %(columns)s") % {"columns": ", ".join(plan.columns.unknown)}
        )
    if plan.columns.repeated:
        lines.append(
            _("Repeated columns ignored: %(columns)s")
            % {"columns": ", ".join(plan.columns.repeated)}
        )
    summary = _(
        "Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
        "refused: %(refused)s (blank rows ignored: %(blank)s, new outlets: %(outlets)s)."
    ) % {**counts, "blank": plan.blank_rows, "outlets": len(plan.new_outlets)}
    if dry_run:
        summary = _("Dry run, nothing changed: %(summary)s") % {"summary": summary}
    lines.append(summary)
    return lines


class Command(BaseCommand):
    help = "Import journalists from an xlsx or csv file: created / updated / skipped with reasons."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--list", dest="list_name", default="", help="Add them to this list.")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, file: Path, list_name: str, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error

        stages = {"checking": _("Checking rows"), "writing": _("Writing journalists")}

        def progress(stage, done, total):
            if total >= PROGRESS_FROM_ROWS:
                self.stderr.write(
                    _("%(stage)s: %(done)s / %(total)s")
                    % {"stage": stages[stage], "done": done, "total": total}
                )

        try:
            plan = contacts_import(
                data=data, list_name=list_name.strip(), dry_run=dry_run, progress=progress
            )
        except UnreadableSpreadsheet as error:
            raise CommandError(f"{file}: {error.message}") from error
        for line in _report_lines(plan, dry_run=dry_run):
            self.stdout.write(line)
