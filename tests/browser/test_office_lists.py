"""The back office's long lists fit a laptop screen with the side navigation open, and
the mailing page counts recipients live while lists and filters are chosen."""

import pytest
from django.utils import timezone

from press import permissions
from tests.factories import ContactListFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.mailings import bilingual_release

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

from tests.browser.conftest import SCREENSHOTS, log_in, screenshot  # noqa: E402


def log_in_speaking(page, username, language):
    """Log in with the back office set to `language` (its language cookie)."""
    page.goto("/admin/login/")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": page.url.split("/admin/")[0] + "/"}]
    )
    log_in(page, username)


def overflow(page) -> int:
    """How far the results table reaches beyond its box (0 when it fits)."""
    return page.evaluate(
        """() => {
        const table = document.querySelector('#result_list');
        const box = table.closest('.results') || table.parentElement;
        return Math.max(0, table.scrollWidth - box.clientWidth,
                        document.documentElement.scrollWidth - window.innerWidth);
    }"""
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_journalist_list_and_review_queue_fit_at_1366(page, staff_user, event, language):
    user = staff_user(permissions.PRESS_OFFICER, username="lea")
    user.groups.add(type(user.groups.first()).objects.get(name=permissions.ACCREDITATION_REVIEWER))
    outlet = OutletFactory(name="Rundfunk Berlin-Brandenburg Nachrichtenredaktion")
    for index in range(8):
        JournalistFactory(
            first_name="Maximiliane-Charlotte",
            last_name=f"Oberhausen-Wittgenstein {index}",
            email=f"maximiliane.oberhausen-wittgenstein{index}@rundfunk-berlin.example",
            outlet=outlet,
            country="DE",
        )
    JournalistFactory(last_name="Aaron", erased_at=timezone.now(), email="gone@x.example")
    for index in range(6):
        BadgeRequestFactory(
            event=event,
            first_name="Konstantinos-Alexandros",
            last_name=f"Papadopoulos-Georgiou {index}",
            outlet_name="Ellinikí Radiofonía Tileórasi Thessaloníki",
        )
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in_speaking(page, "lea", language)

    page.goto("/admin/contacts/journalist/")
    assert page.locator("#nav-sidebar").is_visible()
    screenshot(page, f"office-journalists-{language}")
    assert overflow(page) == 0
    first = page.locator("#result_list tbody tr").first.inner_text()
    assert "Aaron" not in first

    page.goto("/admin/accreditation/badgerequest/")
    assert page.locator("#nav-sidebar").is_visible()
    screenshot(page, f"office-review-queue-{language}")
    assert overflow(page) == 0


@pytest.mark.parametrize("language", ["fr", "en"])
def test_mailing_page_counts_recipients_live(page, staff_user, event, language):
    staff_user(permissions.PRESS_OFFICER, username="julien")
    release = bilingual_release(event=event)
    french = ContactListFactory(name="Presse belge")
    for _index in range(3):
        JournalistFactory(language="fr").lists.add(french)
    english = ContactListFactory(name="Foreign press")
    JournalistFactory(language="en").lists.add(english)
    JournalistFactory(language="en", suppressed_at=timezone.now()).lists.add(english)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in_speaking(page, "julien", language)

    page.goto(f"/admin/mailings/mailing/add/?release={release.pk}")
    region = page.locator(".mailing-live-count-text")
    page.get_by_label("Presse belge").check()
    if language == "fr":
        page.wait_for_function(
            "() => document.querySelector('.mailing-live-count-text').textContent"
            ".startsWith('3 destinataires')"
        )
    else:
        page.wait_for_function(
            "() => document.querySelector('.mailing-live-count-text').textContent"
            ".startsWith('3 recipients')"
        )
    page.get_by_label("Foreign press").check()
    expected = "4 destinataires" if language == "fr" else "4 recipients"
    page.wait_for_function(
        "text => document.querySelector('.mailing-live-count-text').textContent.startsWith(text)",
        arg=expected,
    )
    assert ("1" in region.inner_text()) and (
        "Unsubscribed" in region.inner_text() or "Désabonné" in region.inner_text()
    )
    assert page.locator(".mailing-live-count[aria-live=polite]").count() == 1
    page.locator(".mailing-live-count").scroll_into_view_if_needed()
    screenshot(page, f"office-mailing-live-count-{language}")


WHERE_IS_THE_COUNT = """() => {
    const region = document.querySelector('.mailing-live-count').getBoundingClientRect();
    const fields = document.querySelector('#id_lists').closest('fieldset').getBoundingClientRect();
    return {top: region.top, bottom: region.bottom, height: window.innerHeight,
            fieldsBottom: fields.bottom,
            position: getComputedStyle(document.querySelector('.mailing-live-count')).position};
}"""


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", [390, 1366])
def test_recipient_count_stays_beside_the_recipient_fields(
    page, staff_user, event, language, width
):
    staff_user(permissions.PRESS_OFFICER, username="julien")
    release = bilingual_release(event=event)
    lists = [ContactListFactory(name=f"Presse régionale {index}") for index in range(8)]
    for contact_list in lists[:2]:
        JournalistFactory(language="fr").lists.add(contact_list)
    page.set_viewport_size({"width": width, "height": 800})
    log_in_speaking(page, "julien", language)

    page.goto(f"/admin/mailings/mailing/add/?release={release.pk}")
    page.get_by_label("Presse régionale 0").check()
    page.wait_for_function(
        "() => /^1 /.test(document.querySelector('.mailing-live-count-text').textContent)"
    )
    where = page.evaluate(WHERE_IS_THE_COUNT)

    if width == 1366:
        # Choosing a list near the top of the recipient fields: the count is in sight.
        assert where["position"] == "sticky"
        assert 0 <= where["top"] and where["bottom"] <= where["height"]
    else:
        # On a phone it follows the recipient fields, in the flow of the page.
        assert where["position"] == "static"
        assert where["top"] >= where["fieldsBottom"] - 1
        return
    # What the officer sees in the window, then the whole page at both widths.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"office-mailing-count-{language}-window.png"))
    screenshot(page, f"office-mailing-count-{language}")
