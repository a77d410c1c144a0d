"""How a mailing went: progress while sending, totals afterwards, the xlsx report."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from contacts.enums import OutletKind
from press.core.translated import language_name
from press.mailings.enums import DeliveryState, MailingState

NOT_DONE = [DeliveryState.PENDING, DeliveryState.SENDING]

# Report columns: name → (label, condition). A delivery opened and then clicked counts
# as opened and as clicked; the timestamps say what happened, the state how far it got.
TOTALS = {
    "recipients": (_("Recipients"), Q()),
    "sent": (_("Sent"), Q(state__in=DeliveryState.handed_over())),
    "delivered": (_("Delivered"), Q(delivered_at__isnull=False)),
    "opened": (_("Opened"), Q(opened_at__isnull=False)),
    "clicked": (_("Clicked"), Q(clicked_at__isnull=False)),
    "bounced": (_("Bounced"), Q(bounced_at__isnull=False)),
    "complained": (_("Marked as spam"), Q(complained_at__isnull=False)),
    "unsubscribed": (_("Unsubscribed"), Q(unsubscribed_at__isnull=False)),
    "failed": (_("Failed"), Q(state=DeliveryState.FAILED)),
    "in_doubt": (_("In doubt"), Q(state=DeliveryState.IN_DOUBT)),
    "not_sent": (_("Not sent"), Q(state__in=[DeliveryState.SKIPPED, DeliveryState.CANCELLED])),
}


def _counts():
    return {name: Count("pk", filter=condition) for name, (_label, condition) in TOTALS.items()}


def mailing_progress(*, mailing) -> dict:
    """Sent so far out of the frozen recipients, for the progress bar, and how many are
    in doubt (one query)."""
    counts = mailing.deliveries.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=~Q(state__in=NOT_DONE)),
        in_doubt=Count("pk", filter=Q(state=DeliveryState.IN_DOUBT)),
    )
    total, done = counts["total"], counts["done"]
    finished = mailing.state in (MailingState.SENT, MailingState.CANCELLED)
    return {
        "state": mailing.state,
        "state_label": str(mailing.get_state_display()),
        "total": total,
        "done": done,
        "in_doubt": counts["in_doubt"],
        "percent": round(100 * done / total) if total else (100 if finished else 0),
        "finished": finished,
    }


RATES = ("delivered", "opened", "clicked", "bounced")


def mailing_rates(*, counts: dict) -> list[dict]:
    """Delivered, opened, clicked and bounced as a share of those sent (the provider
    accepted them), from mailing_totals' counts; None when nothing was sent."""
    sent = counts["sent"]
    return [
        {
            "name": name,
            "label": str(TOTALS[name][0]),
            "count": counts[name],
            "percent": round(100 * counts[name] / sent, 1) if sent else None,
        }
        for name in RATES
    ]


def _row(label, counts: dict) -> dict:
    return {"label": str(label), "counts": counts, "values": [counts[name] for name in TOTALS]}


def mailing_totals(*, mailing) -> dict:
    """Totals for the whole mailing, per language and per outlet kind (three queries).
    Each row has a label, `counts` by column name and `values` in column order."""
    deliveries = mailing.deliveries.order_by()
    kinds = dict(OutletKind.choices)
    by_language = deliveries.values("language").annotate(**_counts()).order_by("language")
    by_kind = deliveries.values("outlet_kind").annotate(**_counts()).order_by("outlet_kind")
    return {
        "columns": [(name, label) for name, (label, _condition) in TOTALS.items()],
        "overall": _row(_("All recipients"), deliveries.aggregate(**_counts())),
        "by_language": [_row(language_name(row["language"]), row) for row in by_language],
        "by_outlet_kind": [
            _row(kinds.get(row["outlet_kind"], _("No outlet")), row) for row in by_kind
        ],
    }


REPORT_FIELDS = (
    ("email", _("Email")),
    ("name", _("Name")),
    ("journalist__outlet__name", _("Outlet")),
    ("outlet_kind", _("Outlet kind")),
    ("language", _("Language")),
    ("state", _("State")),
    ("sent_at", _("Sent")),
    ("delivered_at", _("Delivered")),
    ("opened_at", _("Opened")),
    ("clicked_at", _("Clicked")),
    ("bounced_at", _("Bounced")),
    ("complained_at", _("Marked as spam")),
    ("unsubscribed_at", _("Unsubscribed")),
    ("error", _("Error")),
)


def mailing_report_rows(*, mailing):
    """One row per recipient, streamed in chunks, labels in the active language."""
    states = dict(DeliveryState.choices)
    kinds = dict(OutletKind.choices)
    names = [name for name, _label in REPORT_FIELDS]
    rows = mailing.deliveries.order_by("pk").values_list(*names).iterator(chunk_size=2000)
    state_at, kind_at = names.index("state"), names.index("outlet_kind")
    for row in rows:
        row = list(row)
        row[state_at] = str(states.get(row[state_at], row[state_at]))
        row[kind_at] = str(kinds.get(row[kind_at], row[kind_at]))
        yield row


def mailing_report_headers() -> list[str]:
    return [str(label) for _name, label in REPORT_FIELDS]
