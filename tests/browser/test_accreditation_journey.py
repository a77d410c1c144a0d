import re

import pytest
from django.core import mail
from django.utils import timezone

from press import permissions
from press.accreditation.models import BadgeRequest
from press.mailings.enums import MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import EventFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import PDF_BYTES, FieldVisitFactory, image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_invited_journalist_requests_and_reviewer_approves(page, staff_user, tmp_path):
    event = EventFactory(slug="brussels", press_capacity=50)
    visit = FieldVisitFactory(event=event, name={"fr": "Centre de crise", "en": "Crisis centre"})
    outlet = OutletFactory(name="Le Quotidien de Bruxelles", kind="newspaper", country="BE")
    journalist = JournalistFactory(
        first_name="Camille", last_name="Lambert", email="camille@quotidien.example", outlet=outlet
    )
    mailing = Mailing.objects.create(kind=MailingKind.INVITATION, event=event)
    invitation = Delivery.objects.create(
        mailing=mailing,
        journalist=journalist,
        email=journalist.email,
        language="fr",
        sent_at=timezone.now(),
    )
    staff_user(permissions.ACCREDITATION_REVIEWER, username="sofia")
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(image_bytes(600, 800))
    card = tmp_path / "carte.pdf"
    card.write_bytes(PDF_BYTES)

    # The journalist opens the personal link: the form knows them already.
    page.goto(f"/fr/accreditation/?invitation={invitation.token}")
    assert page.get_by_role("heading", level=1).inner_text() == "Accréditation presse"
    assert page.get_by_label("Prénom").input_value() == "Camille"
    assert page.locator("#id_last_name").input_value() == "Lambert"
    # A forwarded invitation must not reveal the address: masked, filled in on submission.
    assert page.get_by_label("E-mail").input_value() == ""
    assert "c•••@quotidien.example" in page.content()
    assert page.locator("#id_outlet_name").input_value() == "Le Quotidien de Bruxelles"

    page.get_by_label("Téléphone").fill("+32 470 12 34 56")
    page.get_by_label("Nationalité").select_option("BE")
    page.get_by_label("Fonction").select_option("journalist")
    page.get_by_label("Numéro de carte de presse").fill("BE-2024-77")
    page.get_by_label("Carte de presse délivrée en/au").select_option("BE")
    page.get_by_label("Carte de presse (scan ou photo)").set_input_files(str(card))
    page.get_by_label("Photo pour le badge").set_input_files(str(photo))
    page.locator(f'input[name="days"][value="{event.starts_on.isoformat()}"]').check()
    page.locator(f'input[name="field_visits"][value="{visit.pk}"]').check()
    page.locator('input[name="consent"]').check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/fr/accreditation/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Demande reçue"

    # The confirmation email carries the private status link.
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["camille@quotidien.example"]
    status_path = re.search(r"/fr/accreditation/status/[\w-]+/", confirmation.body).group(0)
    page.goto(status_path)
    # It leads with the state and the next step; the rest is behind buttons.
    assert page.locator("#state-title").inner_text() == "Reçue"
    assert not page.locator("#id_first_name").is_visible()

    # A reviewer approves it from the queue.
    page.goto("/admin/login/")
    page.fill("#id_username", "sofia")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/accreditation/badgerequest/")
    thumbnail = page.locator("img.badge-thumb").first
    thumbnail.wait_for()
    assert page.evaluate("img => img.naturalWidth", thumbnail.element_handle()) == 600
    page.get_by_role("link", name="LAMBERT Camille").click()
    # The reviewer's checklist, complete, so that approving needs no confirmation.
    for box in ("photo_usable", "press_card_valid", "letter_dated", "outlet_verified"):
        page.check(f"#id_decision_{box}")
    page.fill("#id_decision_press_card_number", "FR-2024-118")
    page.fill("#id_decision_press_card_issuer", "AJP")
    page.fill("#id_decision_press_card_expires_on", "2030-12-31")
    page.locator("#decision-form").get_by_role("button", name="Accepter").click()
    page.wait_for_url("**/change/")
    assert (
        "1 demande passée à l’état «\u202facceptée\u202f»."
        in page.locator(".messagelist").inner_text()
    )

    badge_request = BadgeRequest.objects.get()
    assert badge_request.state == "approved"
    approval = mail.outbox[-1]
    assert approval.subject.startswith("Votre badge presse est accepté")
    assert approval.attachments[0][0] == "badge.ics"
