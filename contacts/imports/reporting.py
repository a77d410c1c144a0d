"""An import summary as a JSON-serialisable report: shown as the preview, kept with the
ContactImport once applied."""

from typing import Any

from contacts.imports.planning import ImportSummary


def plan_report(summary: ImportSummary) -> dict[str, Any]:
    sections: list[dict[str, Any]] = [
        {
            "action": "refused",
            "count": summary.counts()["refused"],
            "rows": [
                {
                    "rows": str(refusal.row),
                    "email": refusal.email,
                    "notes": [note.message for note in (refusal.note, *refusal.also)],
                }
                for refusal in summary.refused
            ],
        }
    ]
    for action, entries in (
        ("created", summary.created),
        ("updated", summary.updated),
        ("unchanged", summary.unchanged),
    ):
        sections.append(
            {
                "action": action,
                "count": summary.counts()[action],
                "rows": [
                    {
                        "rows": ", ".join(str(row) for row in entry.rows),
                        "email": entry.email,
                        "fills": [str(label) for label in entry.filled_fields],
                        "notes": [note.message for note in entry.notes],
                    }
                    for entry in entries
                ],
            }
        )
    for section in sections:
        section["more"] = max(0, section["count"] - len(section["rows"]))
    return {
        "counts": summary.counts(),
        "blank_rows": summary.blank_rows,
        "list_name": summary.list_name,
        "new_outlets": summary.new_outlets,
        "new_outlet_count": summary.new_outlet_count,
        "more_outlets": summary.new_outlet_count - len(summary.new_outlets),
        "unknown_columns": summary.columns.unknown,
        "repeated_columns": summary.columns.repeated,
        "sections": sections,
    }
