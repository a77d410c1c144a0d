"""A journalist's record over earlier editions, in words, for the reviewer of their
next badge request: "accredited in 2024, attended, 3 items"."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from press.coverage.selectors import EditionRecord


def track_record_describe(records: list[EditionRecord]) -> list[str]:
    """One line per earlier edition, newest first."""
    lines = []
    for record in records:
        year = record.event.starts_on.year
        if record.accredited:
            parts = [_("accredited in %(year)s") % {"year": year}]
            if record.attended is True:
                parts.append(_("attended"))
            elif record.attended is False:
                parts.append(_("did not attend"))
            else:
                parts.append(_("attendance not recorded"))
        else:
            parts = [_("not accredited in %(year)s") % {"year": year}]
        parts.append(
            ngettext("%(count)s item", "%(count)s items", record.coverage_count)
            % {"count": record.coverage_count}
        )
        lines.append(", ".join(parts))
    return lines
