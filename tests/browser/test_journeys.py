"""The product's journeys in Chromium, against the live server and the real static files.
Each leaves screenshots of its key pages at 390 and 1366 px in var/screenshots/
(journey-<n>-<page>-390.png and -1366.png).

1 and 2. An invited journalist asks for a badge (pre-filled form, files kept through a
   validation error, confirmation email, status page); a reviewer goes through the queue
   and the checklist, approves (email with the QR code and the calendar file), and a
   cancellation asks for confirmation first.
3. An officer writes a bilingual release through CKEditor with an embargo and mails it
   to a list; the personal link opens it before the lift while the public address is
   404; after the lift both show it.
4. Badges printed in bulk; the desk types a code (OK, then "already"); a scan made
   offline is sent once the network returns.
6. A journalist shares coverage through their personal link; the dashboard shows it and
   its chart downloads.
(Journey 5, subscription, lives with the subscription pages.)
"""

import datetime as dt
import io
import re
from io import BytesIO
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from PIL import Image

from press import permissions
from press.accreditation.enums import BadgeRequestState
from press.accreditation.models import BadgeRequest
from press.badges.models import Badge
from press.checkin.models import CheckIn, Scan
from press.coverage.models import CoverageItem
from press.mailings.enums import MailingKind, MailingState
from press.mailings.models import Delivery, Mailing
from press.releases.enums import ReleaseStatus
from press.releases.models import Release, ReleaseReading
from tests.browser.conftest import log_in, screenshot
from tests.factories import (
    ContactListFactory,
    EventFactory,
    JournalistFactory,
    OutletFactory,
)
from tests.factories.accreditation import (
    PDF_BYTES,
    BadgeRequestFactory,
    FieldVisitFactory,
    image_bytes,
)
from tests.factories.checkin import approved_request, badge_for, event_today
from tests.factories.coverage import CoverageInvitationFactory, CoverageItemFactory
from tests.factories.releases import AttachmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>document.title='pwned'</script>"


def new_page(chromium, live_server, **options):
    """A page of its own (another person, another device), failing on script errors."""
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


# --- Journeys 1 and 2: a badge request and its review --------------------------------


def test_journey_1_and_2_invited_journalist_requests_and_reviewer_decides(
    page, staff_user, tmp_path
):
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

    # 1. The journalist opens the personal link: the form knows them already, and shows
    # only their name and outlet of what it knows.
    page.goto(f"/fr/accreditation/?invitation={invitation.token}")
    assert page.get_by_role("heading", level=1).inner_text() == "Accréditation presse"
    assert page.get_by_label("Prénom").input_value() == "Camille"
    assert page.locator("#id_last_name").input_value() == "Lambert"
    # A forwarded invitation must not reveal the address: masked, filled in on submission.
    assert page.get_by_label("E-mail").input_value() == ""
    assert "c•••@quotidien.example" in page.content()
    assert "camille@quotidien.example" not in page.content()
    assert page.locator("#id_outlet_name").input_value() == "Le Quotidien de Bruxelles"
    assert page.get_by_label("Téléphone").input_value() == ""
    screenshot(page, "journey-1-form")

    page.get_by_label("Téléphone").fill("+32 470 12 34 56")
    page.get_by_label("Nationalité").select_option("BE")
    page.get_by_label("Fonction").select_option("journalist")
    page.get_by_label("Numéro de carte de presse").fill("BE-2024-77")
    page.get_by_label("Carte de presse délivrée en/au").select_option("BE")
    page.get_by_label("Carte de presse (scan ou photo)").set_input_files(str(card))
    page.get_by_label("Photo pour le badge").set_input_files(str(photo))
    page.locator(f'input[name="days"][value="{event.starts_on.isoformat()}"]').check()
    page.locator(f'input[name="field_visits"][value="{visit.pk}"]').check()
    # Consent forgotten: the form comes back with the error, and the files are kept.
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert BadgeRequest.objects.count() == 0
    assert "portrait.jpg" in page.locator("#id_photo_kept").inner_text()
    assert "carte.pdf" in page.locator("#id_press_card_kept").inner_text()
    screenshot(page, "journey-1-form-error")
    page.locator('input[name="consent"]').check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/fr/accreditation/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Demande reçue"
    screenshot(page, "journey-1-sent")
    badge_request = BadgeRequest.objects.get()
    assert badge_request.photo.name and badge_request.press_card.name

    # The confirmation email carries the private status link.
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["camille@quotidien.example"]
    status_path = re.search(r"/fr/accreditation/status/[\w-]+/", confirmation.body).group(0)
    page.goto(status_path)
    # It leads with the state and the next step; the rest is behind buttons.
    assert page.locator("#state-title").inner_text() == "Reçue"
    assert not page.locator("#id_first_name").is_visible()
    screenshot(page, "journey-1-status")

    # 2. A reviewer approves it from the queue.
    log_in(page, "sofia")
    page.goto("/admin/accreditation/badgerequest/")
    thumbnail = page.locator("img.badge-thumb").first
    thumbnail.wait_for()
    assert page.evaluate("img => img.naturalWidth", thumbnail.element_handle()) == 600
    screenshot(page, "journey-2-queue")
    page.get_by_role("link", name="LAMBERT Camille").click()
    # The reviewer's checklist, complete, so that approving needs no confirmation.
    for box in ("photo_usable", "press_card_valid", "letter_dated", "outlet_verified"):
        page.check(f"#id_decision_{box}")
    page.fill("#id_decision_press_card_number", "FR-2024-118")
    page.fill("#id_decision_press_card_issuer", "AJP")
    page.fill("#id_decision_press_card_expires_on", "2030-12-31")
    screenshot(page, "journey-2-review")
    page.locator("#decision-form").get_by_role("button", name="Accepter").click()
    page.wait_for_url("**/change/")
    assert (
        "1 demande passée à l’état «\u202facceptée\u202f»."
        in page.locator(".messagelist").inner_text()
    )

    badge_request.refresh_from_db()
    assert badge_request.state == "approved"
    approval = mail.outbox[-1]
    assert approval.subject.startswith("Votre badge presse est accepté")
    # The QR code, inline in the HTML, decodes to the badge's code.
    (qr_part,) = [
        part
        for part in approval.attachments
        if not isinstance(part, tuple) and part.get("Content-ID")
    ]
    assert f"cid:{qr_part['Content-ID'].strip('<>')}" in approval.alternatives[0].content
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_part.get_content())))
    assert decoded.text == Badge.objects.get(badge_request=badge_request).code
    # The calendar file for the event's days.
    (ics,) = [part for part in approval.attachments if isinstance(part, tuple)]
    assert (ics[0], ics[2]) == ("badge.ics", "text/calendar")
    ics_text = ics[1].decode() if isinstance(ics[1], bytes) else ics[1]
    assert f"DTSTART;VALUE=DATE:{event.starts_on:%Y%m%d}" in ics_text

    # Cancelling asks first, and changes nothing until confirmed.
    sent = len(mail.outbox)
    page.get_by_role("button", name="Annuler l’accréditation…").click()
    page.wait_for_url("**/decide/")
    confirm = page.get_by_role("button", name="Oui, annuler et prévenir le journaliste")
    assert confirm.count() == 1
    screenshot(page, "journey-2-cancel-confirm")
    badge_request.refresh_from_db()
    assert badge_request.state == BadgeRequestState.APPROVED
    assert len(mail.outbox) == sent
    confirm.click()
    page.wait_for_url("**/change/")
    badge_request.refresh_from_db()
    assert badge_request.state == BadgeRequestState.CANCELLED
    assert len(mail.outbox) == sent + 1


# --- Journey 3: an embargoed release, written, mailed and read -----------------------


def editor_body(page, index):
    return page.frame_locator(f"#cke_id_versions-{index}-body iframe.cke_wysiwyg_frame").locator(
        "body"
    )


def test_journey_3_officer_writes_mails_and_lifts_an_embargoed_release(
    page, chromium, live_server, staff_user
):
    EventFactory(slug="brussels")
    contact_list = ContactListFactory(name="Médias belges")
    lea = JournalistFactory(email="lea@media.example", first_name="Léa", language="fr")
    for journalist in (lea, JournalistFactory(language="en"), JournalistFactory(language="fr")):
        journalist.lists.add(contact_list)
    officer = staff_user(
        permissions.PRESS_OFFICER, username="claire", email="claire@office.example"
    )
    posted = []
    page.on(
        "request",
        lambda request: (
            posted.append(request.post_data or "")
            if request.method == "POST" and request.url.endswith("/admin/releases/release/add/")
            else None
        ),
    )
    log_in(page, "claire")

    # The release in both languages through CKEditor, under an embargo of two days.
    embargo = timezone.localtime() + dt.timedelta(days=2)
    page.goto("/admin/releases/release/add/")
    page.fill("#id_dateline_place", "Bruxelles")
    page.fill("#id_embargo_until_0", embargo.strftime("%d/%m/%Y"))
    page.fill("#id_embargo_until_1", embargo.strftime("%H:%M:%S"))
    page.fill("#id_versions-0-title", "Les villes adoptent une déclaration")
    page.fill("#id_versions-0-standfirst", "Huit cents élus réunis à Bruxelles.")
    editor_body(page, 0).click()
    editor_body(page, 0).fill("La conférence se termine par une déclaration commune.")
    assert page.locator("#id_versions-1-language").input_value() == "en"
    page.fill("#id_versions-1-title", "Cities adopt a declaration")
    page.click("#cke_id_versions-1-body .cke_button__source")
    source = page.locator("#cke_id_versions-1-body textarea.cke_source")
    source.fill(f"<p>The conference closes with a joint declaration.</p>{SCRIPT}")
    screenshot(page, "journey-3-release-editor")
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/")
    assert any("script" in body for body in posted), "the script reached the server"

    release = Release.objects.get()
    french = release.versions.get(language="fr")
    english = release.versions.get(language="en")
    assert release.embargo_until is not None
    assert abs(release.embargo_until - embargo) < dt.timedelta(seconds=1)
    assert "La conférence se termine par une déclaration commune." in french.body
    assert english.body == "<p>The conference closes with a joint declaration.</p>"
    assert (french.slug, english.slug) == (
        "les-villes-adoptent-une-declaration",
        "cities-adopt-a-declaration",
    )
    with translation.override("fr"):
        publish_now = translation.gettext("Publish now")
    page.get_by_role("button", name=publish_now).click()
    page.wait_for_url("**/change/")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    AttachmentFactory(release=release)

    # Published, but embargoed: the public address does not show it yet.
    public_fr = french.get_absolute_url()
    assert page.goto(public_fr).status == 404
    assert page.goto(english.get_absolute_url()).status == 404

    # The mailing to the list, previewed, tested, then sent and followed to its report.
    mail.outbox = []
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
    for code, title in (
        ("fr", "Les villes adoptent une déclaration"),
        ("en", "Cities adopt a declaration"),
    ):
        page.goto(f"/admin/mailings/mailing/{mailing.pk}/preview/{code}/")
        # Under embargo, the subject says so before the title.
        assert page.title().startswith("EMBARGO")
        assert page.title().endswith(title)
        assert page.get_by_text(title).first.is_visible()
    page.goto(change_url)
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
    screenshot(page, "journey-3-mailing-sent")
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    assert len(mail.outbox) == 5
    page.locator(f"a[href='/admin/mailings/mailing/{mailing.pk}/report/']").click()
    page.wait_for_url("**/report/")
    assert page.locator("#deliveries tr.delivery").count() == 3
    assert page.locator("#deliveries tr.state-sent").count() == 3
    assert page.locator("#totals tr.by-language").count() == 2
    screenshot(page, "journey-3-mailing-report")

    # Léa opens her personal link before the lift: the release under an embargo banner.
    (message,) = [message for message in mail.outbox if message.to == ["lea@media.example"]]
    link = re.search(r"https?://\S+?(/fr/communiques/lire/[\w-]+/)", message.body).group(1)
    reader, reader_page, reader_errors = new_page(chromium, live_server)
    try:
        reader_page.set_viewport_size({"width": 390, "height": 844})
        reader_page.goto(link)
        banner = reader_page.get_by_role("alert")
        assert banner.inner_text().startswith("EMBARGO — ne pas publier avant")
        # The script adds the reader's own time zone.
        local = reader_page.locator("[data-local-time]")
        local.wait_for(state="visible")
        assert local.inner_text().startswith("Dans votre fuseau horaire\u202f:")
        assert reader_page.get_by_role("heading", level=1).inner_text() == (
            "Les villes adoptent une déclaration"
        )
        screenshot(reader_page, "journey-3-embargoed-personal-link")
        with reader_page.expect_download() as download:
            reader_page.get_by_role("link", name="Dossier de presse").click()
        assert download.value.suggested_filename == "dossier.pdf"
        assert ReleaseReading.objects.filter(release=release).count() == 1
        assert reader_page.goto(public_fr).status == 404

        # The embargo lifts: the personal link leads to the public page, which shows it.
        release.embargo_until = timezone.now() - dt.timedelta(minutes=1)
        release.save(update_fields=["embargo_until"])
        reader_page.goto(link)
        assert reader_page.url == f"{live_server.url}{public_fr}"
        assert reader_page.get_by_role("alert").count() == 0
        assert reader_page.get_by_role("heading", level=1).inner_text() == (
            "Les villes adoptent une déclaration"
        )
        assert ReleaseReading.objects.filter(release=release).count() == 1
    finally:
        reader.close()
    assert reader_errors == []

    # The newsroom lists it in both languages; the script typed in source mode is gone.
    page.goto("/fr/")
    page.get_by_role("link", name="Les villes adoptent une déclaration").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Les villes adoptent une déclaration"
    )
    assert (
        page.locator(".release-body")
        .inner_text()
        .endswith("La conférence se termine par une déclaration commune.")
    )
    screenshot(page, "journey-3-public-fr")
    page.goto("/en/")
    page.get_by_role("link", name="Cities adopt a declaration").click()
    with translation.override("en"):
        assert page.url.endswith(
            reverse("newsroom:release", kwargs={"slug": "cities-adopt-a-declaration"})
        )
    assert "The conference closes with a joint declaration." in page.content()
    assert "pwned" not in page.title()
    assert "<script>document.title" not in page.content()
    screenshot(page, "journey-3-public-en")


# --- Journey 4: badges printed, then the desk ----------------------------------------


def test_journey_4_badges_printed_then_desk_scans_online_offline_and_syncs(
    chromium, live_server, staff_user, page
):
    event = event_today()
    first = badge_for(approved_request(event, first_name="Zoë", last_name="O'Brien"))
    second = badge_for(approved_request(event, first_name="Ольга", last_name="Петрова"))
    staff_user(permissions.PRESS_OFFICER, username="claire")
    staff_user("Check-in desk", username="tom", first_name="Tom", last_name="Peeters")

    # The press office prints every approved badge not printed yet, as one PDF.
    log_in(page, "claire")
    page.goto(f"/office/badges/print/?event={event.pk}")
    assert page.get_by_role("status").inner_text().startswith("2 badges approuvés")
    screenshot(page, "journey-4-print")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Imprimer ces badges (PDF)").click()
    pdf = pypdfium2.PdfDocument(Path(download_info.value.path()).read_bytes())
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert len(pdf) == 2
    assert "Zoë" in text and "Ольга" in text
    assert Badge.objects.filter(printed_at__isnull=False).count() == 2
    page.goto(f"/office/badges/print/?event={event.pk}")
    assert page.get_by_role("status").inner_text().startswith("0 badge")

    # The desk: service workers blocked, because Playwright's offline switch does not
    # cut a worker's own fetches, and the page must answer offline by itself anyway.
    context, desk, errors = new_page(chromium, live_server, service_workers="block")
    try:
        log_in(desk, "tom", "/office/checkin/")
        desk.fill("#desk-name", "Entrée A")
        desk.get_by_role("button", name="Enregistrer").click()
        desk.wait_for_url("**/office/checkin/")
        # The day's list is on the device once the page has loaded it.
        desk.locator("#list-status").filter(has_text="2 badges").wait_for()

        # The scanner types into the focused field and presses Enter.
        desk.keyboard.type(first.code)
        desk.keyboard.press("Enter")
        answer = desk.locator("#answer")
        answer.filter(has_text="OK\u202f: remettre le badge").wait_for()
        assert desk.locator("#answer-name").inner_text() == "Zoë O'Brien"
        assert desk.evaluate("document.activeElement.id") == "code"
        screenshot(desk, "journey-4-desk-ok")

        desk.keyboard.type(first.code)
        desk.keyboard.press("Enter")
        answer.filter(has_text="Déjà entré aujourd’hui").wait_for()
        assert "poste Entrée A" in desk.locator("#answer-detail").inner_text()
        assert "Tom Peeters" in desk.locator("#answer-detail").inner_text()
        screenshot(desk, "journey-4-desk-already")

        # The venue's network drops.
        context.set_offline(True)
        desk.locator("#net").filter(has_text="Hors ligne").wait_for()
        desk.keyboard.type(second.code)
        desk.keyboard.press("Enter")
        answer.filter(has_text="OK\u202f: remettre le badge").wait_for()
        assert desk.locator("#answer-name").inner_text() == "Ольга Петрова"
        assert "Réponse hors ligne" in desk.locator("#answer-offline").inner_text()
        # Her photo comes from the device's copy of the list, not from the network.
        desk.wait_for_function("document.getElementById('answer-photo').complete")
        photo = desk.evaluate(
            "(() => { const img = document.getElementById('answer-photo');"
            " return {src: img.getAttribute('src'), width: img.naturalWidth,"
            " shown: img.checkVisibility()}; })()"
        )
        assert photo["src"].startswith("data:image/jpeg;base64,"), photo["src"][:80]
        assert photo["width"] > 0
        assert photo["shown"] is True
        assert desk.locator("#answer-photo-none").is_hidden()
        desk.locator("#queue-status").filter(has_text="1 scan en attente d’envoi").wait_for()
        assert CheckIn.objects.filter(badge_request=second.badge_request).count() == 0
        screenshot(desk, "journey-4-desk-offline")

        # The same badge again, still offline: this device knows it let her in.
        desk.keyboard.type(second.code)
        desk.keyboard.press("Enter")
        answer.filter(has_text="Déjà entré aujourd’hui").wait_for()

        # Back online: the queue goes to the server.
        context.set_offline(False)
        desk.locator("#queue-status").wait_for(state="hidden")
        check_in = CheckIn.objects.get(badge_request=second.badge_request)
        assert (check_in.offline, check_in.desk) == (True, "Entrée A")
        assert Scan.objects.filter(offline=True).count() == 2
        assert Scan.objects.filter(conflict=True).count() == 0

        # Logging out forgets the device's copy.
        desk.get_by_role("button", name="Se déconnecter").click()
        desk.wait_for_url("**/admin/logout/")
        desk.wait_for_function(
            "indexedDB.databases().then(dbs => !dbs.some(db => db.name === 'presse-checkin'))"
        )
    finally:
        context.close()
    assert errors == [], f"JavaScript errors on the desk: {errors}"


# --- Journey 6: coverage shared by a journalist, seen on the dashboard ---------------


def test_journey_6_journalist_shares_coverage_and_dashboard_charts_it(page, staff_user, event):
    staff_user(permissions.PRESS_OFFICER, username="julien")
    BadgeRequestFactory.create_batch(2, event=event, state=BadgeRequestState.SUBMITTED)
    BadgeRequestFactory(event=event, state=BadgeRequestState.APPROVED)
    CoverageItemFactory.create_batch(2, event=event, country="FR")
    outlet = OutletFactory(name="Le Monde", kind="newspaper", country="FR")
    journalist = JournalistFactory(first_name="Inès", outlet=outlet, language="fr")
    invitation = CoverageInvitationFactory(event=event, journalist=journalist)

    # The journalist's personal link; the page cannot be read (nothing listens there),
    # so the item is kept under its address, with the outlet's country.
    article = "http://127.0.0.1:9/le-monde/sommet-des-villes"
    page.goto(f"/fr/coverage/share/{invitation.token}/")
    assert "Inès" in page.locator(".lead").inner_text()
    screenshot(page, "journey-6-share")
    page.locator("#id_url").fill(article)
    page.get_by_role("button", name="Ajouter").click()
    page.wait_for_url(f"**/fr/coverage/share/{invitation.token}/")
    assert article in page.locator("main").inner_text()
    screenshot(page, "journey-6-shared")
    item = CoverageItem.objects.get(journalist=journalist)
    assert (item.event, item.country, item.url) == (event, "FR", article)

    log_in(page, "julien")
    page.get_by_role("link", name="Ouvrir le tableau de bord").click()
    page.wait_for_url("**/office/dashboard/")
    assert page.get_by_role("heading", name="Demandes de badge", exact=True).count() == 1
    chart = page.locator("figure", has=page.get_by_role("heading", name="Retombées par pays"))
    assert chart.locator("svg rect").count() == 1
    screenshot(page, "journey-6-dashboard")
    with page.expect_download() as download_info:
        chart.get_by_role("link", name="Télécharger (xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == f"coverage-country-{event.slug}.xlsx"
    content = Path(download.path()).read_bytes()
    rows = list(load_workbook(BytesIO(content)).active.values)
    assert rows == [("Pays", "Nombre"), ("France", 3)]
