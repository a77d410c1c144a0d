"""Fair selection when requests exceed the places: the event's rules, in order, rank
the submitted requests; the first ones fill the places left, the rest go to the
waiting list in that order.

How the rules work (AccreditationSettings.selection_rules, by position):

- "at most N per outlet" is a limit that holds throughout, counting the badges the
  outlet already has; with several, the smallest wins, and the event's own limit per
  outlet applies too. A request it holds back goes to the end of the waiting list.
- "priority" takes, in draw order, the requests of its outlet kinds;
- "at least one per country" takes, in draw order, the first request of each outlet
  country not yet among the approved or the ranked;
- "random draw" takes everyone left in draw order. It always closes the list, even
  when the rules do not name it.

The draw order is the requests (by id) shuffled by `random.Random(seed)`: the same
requests, rules and seed give the same result. Applying goes through
accreditation_approve and accreditation_waitlist (capacity checks and emails as
usual) and records the rules, the seed, the rank and the reason with each decision.
"""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from contacts.enums import OutletKind
from press.accreditation.decisions import accreditation_approve, accreditation_waitlist
from press.accreditation.enums import BadgeRequestState, SelectionRuleKind
from press.accreditation.errors import AccreditationError
from press.accreditation.models import AccreditationSettings, BadgeRequest, SelectionRule
from press.core.typing import StaffMember
from press.events.models import Event

State = BadgeRequestState
Kind = SelectionRuleKind
APPROVE = "approve"
WAITLIST = "waitlist"


@dataclass
class Pick:
    badge_request: BadgeRequest
    outcome: str  # APPROVE or WAITLIST
    rank: int
    reason: str


@dataclass
class Selection:
    event: Event
    seed: int
    rules: list[dict]
    places: int | None  # None: no limit
    picks: list[Pick]

    @property
    def approved(self) -> list[Pick]:
        return [pick for pick in self.picks if pick.outcome == APPROVE]

    @property
    def waitlisted(self) -> list[Pick]:
        return [pick for pick in self.picks if pick.outcome == WAITLIST]


def selection_rules(*, event: Event) -> list[dict]:
    """The event's rules in order, as plain data (what each decision records)."""
    settings = AccreditationSettings.objects.filter(event=event).first()
    if settings is None:
        return []
    return [rule.as_dict() for rule in SelectionRule.objects.filter(settings=settings)]


def _outlet_key(badge_request: BadgeRequest) -> tuple:
    # The same outlet as the approval's limit counts it (selectors.with_outlet_approved).
    if badge_request.outlet_id is not None:
        return ("known", badge_request.outlet_id)
    return ("name", badge_request.outlet_name.casefold(), str(badge_request.outlet_country))


def selection_preview(*, event: Event, seed: int) -> Selection:
    """Who a selection would approve and waitlist (in order) and why; changes nothing."""
    rules = selection_rules(event=event)
    candidates = list(
        BadgeRequest.objects.filter(event=event, state=State.SUBMITTED).order_by("pk")
    )
    draw = list(candidates)
    random.Random(seed).shuffle(draw)
    draw_number = {badge_request.pk: number for number, badge_request in enumerate(draw, start=1)}

    approved = list(BadgeRequest.objects.filter(event=event, state=State.APPROVED))
    outlet_counts: dict[tuple, int] = {}
    for badge_request in approved:
        outlet_counts[_outlet_key(badge_request)] = (
            outlet_counts.get(_outlet_key(badge_request), 0) + 1
        )
    countries = {str(badge_request.outlet_country) for badge_request in approved}
    caps = [rule["limit"] for rule in rules if rule["kind"] == Kind.OUTLET_CAP]
    if event.per_outlet_limit:
        caps.append(event.per_outlet_limit)
    cap = min(caps) if caps else None

    ranked: list[tuple[BadgeRequest, str]] = []
    remaining = list(draw)

    def allowed(badge_request: BadgeRequest) -> bool:
        return cap is None or outlet_counts.get(_outlet_key(badge_request), 0) < cap

    def take(badge_request: BadgeRequest, reason: str) -> None:
        ranked.append((badge_request, reason))
        remaining.remove(badge_request)
        key = _outlet_key(badge_request)
        outlet_counts[key] = outlet_counts.get(key, 0) + 1
        countries.add(str(badge_request.outlet_country))

    passes = [rule for rule in rules if rule["kind"] != Kind.OUTLET_CAP]
    if not passes or passes[-1]["kind"] != Kind.DRAW:
        passes.append({"kind": Kind.DRAW, "outlet_kinds": [], "limit": 0})
    kind_labels = dict(OutletKind.choices)
    for rule in passes:
        for badge_request in list(remaining):
            if not allowed(badge_request):
                continue
            if rule["kind"] == Kind.PRIORITY and badge_request.outlet_kind in rule["outlet_kinds"]:
                labels = ", ".join(str(kind_labels.get(k, k)) for k in rule["outlet_kinds"])
                take(badge_request, _("Priority: %(kinds)s.") % {"kinds": labels})
            elif (
                rule["kind"] == Kind.COUNTRY and str(badge_request.outlet_country) not in countries
            ):
                take(
                    badge_request,
                    _("First journalist from %(country)s.")
                    % {"country": Country(str(badge_request.outlet_country)).name},
                )
            elif rule["kind"] == Kind.DRAW:
                take(
                    badge_request,
                    _("Random draw, number %(number)s.")
                    % {"number": draw_number[badge_request.pk]},
                )

    places = None
    if event.press_capacity:
        places = max(event.press_capacity - len(approved), 0)
    picks = []
    for rank, (badge_request, reason) in enumerate(ranked, start=1):
        outcome = APPROVE if places is None or rank <= places else WAITLIST
        picks.append(Pick(badge_request, outcome, rank, reason))
    for badge_request in remaining:
        picks.append(
            Pick(
                badge_request,
                WAITLIST,
                len(picks) + 1,
                ngettext(
                    "Its outlet already has %(limit)s badge, the most per outlet.",
                    "Its outlet already has %(limit)s badges, the most per outlet.",
                    cap or 0,
                )
                % {"limit": cap},
            )
        )
    return Selection(event=event, seed=seed, rules=rules, places=places, picks=picks)


def selection_apply(*, event: Event, seed: int, by: StaffMember) -> tuple[Selection, list[str]]:
    """Run the selection for `seed` and decide each request through
    accreditation_approve (or accreditation_waitlist), in rank order; a request that
    the approval refuses all the same (a full field visit, say) is waitlisted instead,
    and the refusal reported. Each decision records the rules, the seed, the rank and
    the reason. Returns the selection and the refusals, in the reader's language."""
    selection = selection_preview(event=event, seed=seed)
    refusals = []
    for pick in selection.picks:
        record = {
            "seed": seed,
            "rules": selection.rules,
            "rank": pick.rank,
            "reason": pick.reason,
        }
        with transaction.atomic():
            if pick.outcome == APPROVE:
                try:
                    accreditation_approve(badge_request=pick.badge_request, by=by, selection=record)
                    continue
                except AccreditationError as error:
                    refusals.append(f"{pick.badge_request.full_name}: {error.message}")
                    pick.outcome = WAITLIST
            accreditation_waitlist(badge_request=pick.badge_request, by=by, selection=record)
    return selection, refusals
