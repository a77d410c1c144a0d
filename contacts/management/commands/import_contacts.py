from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.imports.applying import contacts_import
from contacts.imports.planning import ImportSummary, PlanChunk
from contacts.imports.reading import UnreadableSpreadsheet

# Smaller files are done before anyone would look at a progress line.
PROGRESS_FROM_ROWS = 2000


def _chunk_lines(chunk: PlanChunk) -> list[str]:
    """The notes of a chunk's rows and why rows were refused, in row order."""
    lines: list[tuple[int, str]] = []
    for entry in chunk.entries:
        for note in entry.notes:
            lines.append(
                (
                    entry.row,
                    _("row %(row)s %(email)s: %(message)s")
                    % {"row": entry.row, "email": entry.email, "message": note.message},
                )
            )
    for refusal in chunk.refused:
        for note in (refusal.note, *refusal.also):
            lines.append(
                (
                    refusal.row,
                    _("row %(row)s refused: %(message)s")
                    % {"row": refusal.row, "message": note.message},
                )
            )
    return [line for _row, line in sorted(lines, key=lambda item: item[0])]


def _summary_lines(summary: ImportSummary, *, dry_run: bool) -> list[str]:
    lines = []
    if summary.columns.unknown:
        lines.append(
            _("Columns ignored: %(columns)s") % {"columns": ", ".join(summary.columns.unknown)}
        )
    if summary.columns.repeated:
        lines.append(
            _("Repeated columns ignored: %(columns)s")
            % {"columns": ", ".join(summary.columns.repeated)}
        )
    text = _(
        "Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
        "refused: %(refused)s (blank rows ignored: %(blank)s, new outlets: %(outlets)s)."
    ) % {**summary.counts(), "blank": summary.blank_rows, "outlets": summary.new_outlet_count}
    if dry_run:
        text = _("Dry run, nothing changed: %(summary)s") % {"summary": text}
    lines.append(text)
    return lines


class Command(BaseCommand):
    help = "Import journalists from an xlsx or csv file: created / updated / skipped with reasons."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--list", dest="list_name", default="", help="Add them to this list.")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, file: Path, list_name: str, dry_run: bool, **options):
        stages = {
            "reading": _("Reading the file"),
            "checking": _("Checking rows"),
            "writing": _("Writing journalists"),
        }

        def progress(stage, done, total):
            if stage == "reading" and done >= PROGRESS_FROM_ROWS:
                self.stderr.write(
                    ngettext("%(stage)s: %(done)s row", "%(stage)s: %(done)s rows", done)
                    % {"stage": stages[stage], "done": done}
                )
            elif total >= PROGRESS_FROM_ROWS:
                self.stderr.write(
                    _("%(stage)s: %(done)s / %(total)s")
                    % {"stage": stages[stage], "done": done, "total": total}
                )

        def listen(chunk: PlanChunk) -> None:
            for line in _chunk_lines(chunk):
                self.stdout.write(line)

        try:
            with file.open("rb") as handle:
                summary = contacts_import(
                    data=handle,
                    list_name=list_name.strip(),
                    dry_run=dry_run,
                    progress=progress,
                    listen=listen,
                )
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        except UnreadableSpreadsheet as error:
            raise CommandError(f"{file}: {error.message}") from error
        for line in _summary_lines(summary, dry_run=dry_run):
            self.stdout.write(line)
