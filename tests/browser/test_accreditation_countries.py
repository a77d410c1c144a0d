import pytest

from tests.browser.conftest import axe_serious, screenshot
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language, germany", [("fr", "Allemagne"), ("en", "Germany")])
def test_country_selects_choose_and_pass_accessibility(page, axe_source, language, germany):
    EventFactory()
    page.goto(f"/{language}/accreditation/")
    page.select_option("#id_nationality", "DE")

    assert page.locator("#id_nationality option:checked").inner_text() == germany
    assert page.locator("#id_outlet_country option").count() > 240
    assert axe_serious(page, axe_source) == []
    screenshot(page, f"accreditation-countries-{language}")
