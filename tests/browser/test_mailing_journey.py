import re

import pytest
from django.core import mail

from press import permissions
from press.mailings.enums import MailingState
from press.mailings.models import Mailing
from tests.factories import ContactListFactory, EventFactory, JournalistFactory
from tests.factories.mailings import bilingual_release

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_sends_a_release_and_follows_it_to_the_report(page, staff_user):
    EventFactory(slug="brussels")
    release = bilingual_release()
    contact_list = ContactListFactory(name="Médias belges")
    for language in ("fr", "en", "fr"):
        JournalistFactory(language=language).lists.add(contact_list)
    officer = staff_user(
        permissions.PRESS_OFFICER, username="julien", email="julien@office.example"
    )
    mail.outbox = []

    page.goto("/admin/login/")
    page.fill("#id_username", "julien")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/admin/")

    # Create the mailing from the release and choose its recipients.
    page.goto(f"/admin/mailings/mailing/add/?release={release.pk}")
    assert page.locator("#id_release").input_value() == str(release.pk)
    page.get_by_label("Médias belges").check()
    page.locator("input[name=_continue]").click()
    page.wait_for_url(re.compile(r"/admin/mailings/mailing/\d+/change/"))
    mailing = Mailing.objects.get()
    change_url = f"/admin/mailings/mailing/{mailing.pk}/change/"
    assert (
        page.locator(".mailing-summary .by-language[data-language=fr]").inner_text().endswith(": 2")
    )
    assert (
        page.locator(".mailing-summary .by-language[data-language=en]").inner_text().endswith(": 1")
    )

    # Preview both languages.
    for code, title in (("fr", "Les villes s'engagent"), ("en", "Cities commit")):
        page.goto(f"/admin/mailings/mailing/{mailing.pk}/preview/{code}/")
        assert page.title() == title
        assert page.get_by_text(title).first.is_visible()
    page.goto(change_url)

    # Send a test to herself, then send for real.
    page.locator("form.mailing-action button").first.click()
    page.wait_for_url(f"**{change_url}")
    assert [message.to for message in mail.outbox] == [[officer.email], [officer.email]]
    page.locator("a.mailing-send").click()
    page.wait_for_url("**/send/")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**{change_url}")

    progress = page.locator(".mailing-progress")
    page.wait_for_function("document.querySelector('.mailing-progress').dataset.state === 'sent'")
    assert progress.locator("progress").evaluate("bar => bar.value") == 100
    assert progress.locator(".percent").inner_text() == "100"
    assert progress.locator(".done").inner_text() == "3"
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    assert len(mail.outbox) == 5

    # The report, per recipient.
    page.locator(f"a[href='/admin/mailings/mailing/{mailing.pk}/report/']").click()
    page.wait_for_url("**/report/")
    assert page.locator("#deliveries tr.delivery").count() == 3
    assert page.locator("#deliveries tr.state-sent").count() == 3
    assert page.locator("#totals tr.by-language").count() == 2
