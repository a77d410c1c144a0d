"""An import plan as a JSON-serialisable report: shown as the preview, kept with the
ContactImport after a background import."""

from typing import Any

from contacts.imports.planning import ImportPlan

# How many rows of each kind (and new outlets) a report lists; its counts are always
# complete.
REPORT_ROWS = 300
REPORT_OUTLETS = 50


def plan_report(plan: ImportPlan, *, limit: int = REPORT_ROWS) -> dict[str, Any]:
    sections: list[dict[str, Any]] = [
        {
            "action": "refused",
            "count": len(plan.refused),
            "rows": [
                {"rows": str(refusal.row), "email": refusal.email, "notes": [refusal.note.message]}
                for refusal in plan.refused[:limit]
            ],
        }
    ]
    for action, entries in (
        ("created", plan.created),
        ("updated", plan.updated),
        ("unchanged", plan.unchanged),
    ):
        sections.append(
            {
                "action": action,
                "count": len(entries),
                "rows": [
                    {
                        "rows": ", ".join(str(row) for row in entry.rows),
                        "email": entry.email,
                        "fills": [str(label) for label in entry.filled_fields],
                        "notes": [note.message for note in entry.notes],
                    }
                    for entry in entries[:limit]
                ],
            }
        )
    for section in sections:
        section["more"] = max(0, section["count"] - limit)
    return {
        "counts": plan.counts(),
        "blank_rows": plan.blank_rows,
        "list_name": plan.list_name,
        "new_outlets": [outlet.name for outlet in plan.new_outlets[:REPORT_OUTLETS]],
        "new_outlet_count": len(plan.new_outlets),
        "more_outlets": max(0, len(plan.new_outlets) - REPORT_OUTLETS),
        "unknown_columns": plan.columns.unknown,
        "repeated_columns": plan.columns.repeated,
        "sections": sections,
    }
