"""The status page and the request form as a journalist sees them on a phone and a laptop,
in French and in English: the state first, the rest behind buttons, a short page."""

import pytest

from press.accreditation.decisions import accreditation_approve, accreditation_reject
from press.accreditation.models import BadgeRequestState
from tests.browser.conftest import axe_serious, screenshot
from tests.factories import EventFactory
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# The page was 4,431 px tall on a phone with the whole form open; the state, the next
# step and three buttons fit in well under a third of that.
PHONE_HEIGHT_LIMIT = 1400


def _height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_status_page_leads_with_the_state_and_stays_short_on_a_phone(
    page, staff_user, axe_source, language
):
    event = EventFactory(slug=f"lisboa-{language}")
    FieldVisitFactory(event=event)
    reviewer = staff_user("Accreditation reviewer", username="sofia")
    submitted = BadgeRequestFactory(event=event, language=language)
    rejected = BadgeRequestFactory(event=event, language=language)
    accreditation_reject(badge_request=rejected, by=reviewer, note="Demande arrivée hors délai.")
    approved = BadgeRequestFactory(event=event, language=language)
    accreditation_approve(badge_request=approved, by=reviewer, note="Interview à 10 h, salle B.")
    approved.refresh_from_db()
    assert approved.state == BadgeRequestState.APPROVED

    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/accreditation/status/{submitted.token}/")
    state = page.locator("#state-title")
    assert state.inner_text() == {"fr": "Reçue", "en": "Received"}[language]
    assert state.bounding_box()["y"] < 400  # first thing under the title, above the fold
    assert not page.locator("#id_first_name").is_visible()
    assert _height(page) < PHONE_HEIGHT_LIMIT
    assert axe_serious(page, axe_source) == []
    screenshot(page, f"status-submitted-{language}")

    # The correction form opens from its button.
    page.set_viewport_size(PHONE)
    page.locator("#correct > summary").click()
    assert page.locator("#id_first_name").is_visible()
    screenshot(page, f"status-submitted-open-{language}")

    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/accreditation/status/{rejected.token}/")
    assert "Demande arrivée hors délai." in page.locator(".office-note").inner_text()
    assert _height(page) < PHONE_HEIGHT_LIMIT
    screenshot(page, f"status-rejected-{language}")

    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/accreditation/status/{approved.token}/")
    assert "Interview à 10 h, salle B." in page.locator(".office-note").inner_text()
    assert axe_serious(page, axe_source) == []
    screenshot(page, f"status-approved-{language}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_request_form_at_phone_and_laptop_width(page, axe_source, language):
    EventFactory(slug=f"form-{language}")

    page.goto(f"/{language}/accreditation/")
    assert page.locator("#id_first_name").is_visible()
    assert axe_serious(page, axe_source) == []
    screenshot(page, f"request-form-{language}")
