"""Fair selection when requests exceed the places, and the waiting list's automatic
promotion when a place becomes free."""

import pytest
from django.core import mail

from press.accreditation.decisions import (
    accreditation_approve,
    accreditation_cancel,
    accreditation_waitlist,
    accreditation_withdraw,
)
from press.accreditation.enums import SelectionRuleKind
from press.accreditation.forms import SelectionRuleForm
from press.accreditation.models import AccreditationSettings, BadgeRequest, BadgeRequestState
from press.accreditation.selection import selection_apply, selection_preview
from tests.factories import OutletFactory
from tests.factories.accreditation import BadgeRequestFactory

State = BadgeRequestState
Kind = SelectionRuleKind
SELECTION = "/admin/accreditation/badgerequest/selection/"


@pytest.fixture
def reviewer(staff_user):
    return staff_user("Accreditation reviewer", username="sofia")


def _rules(event, *rules, promote=True):
    settings, _created = AccreditationSettings.objects.get_or_create(
        event=event, defaults={"promote_from_waitlist": promote}
    )
    for position, (kind, options) in enumerate(rules):
        settings.selection_rules.create(position=position, kind=kind, **options)
    return settings


def _names(picks) -> list[str]:
    return [pick.badge_request.last_name for pick in picks]


def test_selection_is_the_same_for_the_same_seed(event):
    event.press_capacity = 3
    event.save()
    BadgeRequestFactory.create_batch(8, event=event)

    first = selection_preview(event=event, seed=42)
    again = selection_preview(event=event, seed=42)

    assert [(p.badge_request.pk, p.outcome, p.reason) for p in first.picks] == [
        (p.badge_request.pk, p.outcome, p.reason) for p in again.picks
    ]
    assert (len(first.approved), len(first.waitlisted)) == (3, 5)
    assert BadgeRequest.objects.filter(state=State.SUBMITTED).count() == 8


def test_selection_never_exceeds_the_capacity_or_the_outlet_limit(event, reviewer):
    event.press_capacity = 4
    event.save()
    BadgeRequestFactory(event=event, state=State.APPROVED)
    outlet = OutletFactory()
    BadgeRequestFactory.create_batch(5, event=event, outlet=outlet)
    BadgeRequestFactory.create_batch(5, event=event)
    _rules(event, (Kind.OUTLET_CAP, {"limit": 2}))

    for seed in range(10):
        preview = selection_preview(event=event, seed=seed)
        assert len(preview.approved) == 3
        assert sum(p.badge_request.outlet_id == outlet.pk for p in preview.approved) <= 2

    selection, refusals = selection_apply(event=event, seed=7, by=reviewer)

    assert refusals == []
    assert BadgeRequest.objects.filter(state=State.APPROVED).count() == 4
    assert BadgeRequest.objects.filter(state=State.APPROVED, outlet=outlet).count() <= 2
    held_back = [p for p in selection.picks if p.badge_request.outlet_id == outlet.pk][-1]
    assert held_back.reason == ("Son média a déjà 2 badges, le maximum par média.")


def test_selection_follows_its_rules_in_order(event):
    event.press_capacity = 2
    event.save()
    BadgeRequestFactory(event=event, last_name="Agence", outlet_kind="agency", outlet_country="FR")
    BadgeRequestFactory(event=event, last_name="Agence2", outlet_kind="agency", outlet_country="FR")
    BadgeRequestFactory(event=event, last_name="Lisbonne", outlet_country="PT")
    BadgeRequestFactory(event=event, last_name="Vilnius", outlet_country="LT")
    settings = _rules(
        event,
        (Kind.PRIORITY, {"outlet_kinds": ["agency"]}),
        (Kind.COUNTRY, {}),
    )

    priority_first = selection_preview(event=event, seed=1)
    settings.selection_rules.filter(kind=Kind.PRIORITY).update(position=5)
    country_first = selection_preview(event=event, seed=1)

    assert sorted(_names(priority_first.approved)) == ["Agence", "Agence2"]
    assert priority_first.approved[0].reason == "Priorité\u202f: Agence de presse."
    assert len(country_first.approved) == 2
    assert {p.badge_request.outlet_country.code for p in country_first.approved} <= {
        "FR",
        "PT",
        "LT",
    }
    assert len({p.badge_request.outlet_country.code for p in country_first.approved}) == 2
    assert country_first.approved[0].reason.startswith("Premier journaliste de ")


def test_applied_selection_records_rules_and_seed_and_orders_the_waiting_list(
    event, reviewer, django_capture_on_commit_callbacks
):
    event.press_capacity = 1
    event.save()
    BadgeRequestFactory.create_batch(3, event=event)
    _rules(event, (Kind.DRAW, {}))

    with django_capture_on_commit_callbacks(execute=True):
        selection, _refusals = selection_apply(event=event, seed=99, by=reviewer)

    first, second, third = (pick.badge_request for pick in selection.picks)
    assert [BadgeRequest.objects.get(pk=r.pk).state for r in (first, second, third)] == [
        State.APPROVED,
        State.WAITLISTED,
        State.WAITLISTED,
    ]
    record = first.transitions.get().selection
    assert record["seed"] == 99
    assert record["rules"] == [{"kind": "draw", "outlet_kinds": [], "limit": 1}]
    assert record["rank"] == 1
    positions = [BadgeRequest.objects.get(pk=r.pk).waitlist_position for r in (second, third)]
    assert positions[0] < positions[1]
    assert len(mail.outbox) == 3


def test_withdrawn_approval_promotes_the_first_on_the_waiting_list(
    event, reviewer, django_capture_on_commit_callbacks
):
    event.press_capacity = 1
    event.save()
    approved = BadgeRequestFactory(event=event)
    first = BadgeRequestFactory(event=event, last_name="Premier")
    second = BadgeRequestFactory(event=event, last_name="Second")
    accreditation_approve(badge_request=approved, by=reviewer)
    accreditation_waitlist(badge_request=first, by=reviewer)
    accreditation_waitlist(badge_request=second, by=reviewer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        accreditation_withdraw(badge_request=approved)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.APPROVED, State.WAITLISTED)
    assert first.decided_by is None
    promoted = next(m for m in mail.outbox if m.to == [first.email])
    assert "Une place s’est libérée" in promoted.body


def test_promotion_skips_who_the_outlet_limit_holds_back(event, reviewer):
    event.per_outlet_limit = 1
    event.save()
    outlet = OutletFactory()
    BadgeRequestFactory(event=event, outlet=outlet, state=State.APPROVED)
    leaving = BadgeRequestFactory(event=event, state=State.APPROVED)
    same_outlet = BadgeRequestFactory(event=event, outlet=outlet)
    other = BadgeRequestFactory(event=event)
    accreditation_waitlist(badge_request=same_outlet, by=reviewer)
    accreditation_waitlist(badge_request=other, by=reviewer)

    accreditation_cancel(badge_request=leaving, by=reviewer)

    same_outlet.refresh_from_db()
    other.refresh_from_db()
    assert (same_outlet.state, other.state) == (State.WAITLISTED, State.APPROVED)


def test_promotion_turned_off_leaves_the_waiting_list_alone(event, reviewer):
    _rules(event, promote=False)
    approved = BadgeRequestFactory(event=event, state=State.APPROVED)
    waiting = BadgeRequestFactory(event=event)
    accreditation_waitlist(badge_request=waiting, by=reviewer)

    accreditation_withdraw(badge_request=approved)

    waiting.refresh_from_db()
    assert waiting.state == State.WAITLISTED


def test_selection_page_previews_then_applies(client, reviewer, event):
    client.force_login(reviewer)
    event.press_capacity = 1
    event.save()
    BadgeRequestFactory.create_batch(2, event=event)

    preview = client.get(SELECTION, {"seed": "5"})
    assert [p.outcome for p in preview.context["selection"].picks] == ["approve", "waitlist"]
    assert BadgeRequest.objects.filter(state=State.SUBMITTED).count() == 2

    applied = client.post(SELECTION, {"seed": "5", "apply": "1"})

    assert applied.status_code == 302
    assert sorted(BadgeRequest.objects.values_list("state", flat=True)) == [
        State.APPROVED,
        State.WAITLISTED,
    ]


def test_selection_page_refuses_a_bad_seed_and_changes_nothing(client, reviewer, event):
    client.force_login(reviewer)
    BadgeRequestFactory(event=event)

    response = client.post(SELECTION, {"seed": "-3", "apply": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors["seed"] == [
        "Assurez-vous que cette valeur est supérieure ou égale à 0."
    ]
    assert BadgeRequest.objects.get().state == State.SUBMITTED


def test_selection_page_refused_to_viewer(client, staff_user, event):
    client.force_login(staff_user("Viewer"))

    assert client.get(SELECTION).status_code == 403


def test_rule_form_explains_an_incomplete_rule():
    priority = SelectionRuleForm({"position": 0, "kind": "priority", "limit": 1})
    cap = SelectionRuleForm({"position": 1, "kind": "outlet_cap", "limit": 0})

    assert priority.errors["outlet_kinds"] == [
        "Une règle de priorité demande au moins un type de média."
    ]
    assert cap.errors["limit"] == [
        "Au plus 0 par média ne sélectionnerait personne\u202f: choisissez 1 ou plus."
    ]
