import pytest

from press import permissions
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_switches_language_and_officer_logs_in(page, staff_user):
    EventFactory(slug="brussels")
    staff_user(permissions.PRESS_OFFICER, username="julien")

    page.goto("/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Aller au contenu").count() == 1

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Conference brussels"

    page.goto("/admin/login/")
    page.fill("#id_username", "julien")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/admin/")
    assert "Presse" in page.title()
    assert page.locator("#site-name").inner_text().startswith("Presse")
