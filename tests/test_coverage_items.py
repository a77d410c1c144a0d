"""Coverage items: adding, refusing, privacy, the import and the back office."""

import datetime as dt
import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_countries import Countries
from openpyxl import Workbook

from contacts.journalists import journalist_erase, journalist_export_personal_data
from press.coverage.enums import CoverageSource, InvitationState
from press.coverage.imports import coverage_import_apply, coverage_import_plan
from press.coverage.items import CoverageError, coverage_add
from press.coverage.models import CoverageInvitation, CoverageItem
from tests.factories import EventFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import PDF_BYTES, image_bytes
from tests.factories.coverage import CoverageInvitationFactory, CoverageItemFactory


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Domain ---------------------------------------------------------------------------


def test_coverage_add_takes_the_known_outlets_name_and_country(event):
    outlet = OutletFactory(name="Le Soir", country="BE")

    item = coverage_add(
        event=event, url="HTTPS://WWW.LESOIR.BE/a#top", headline="Titre", outlet=outlet
    )

    assert item.url == "https://www.lesoir.be/a"
    assert item.outlet_name == "Le Soir"
    assert item.country.code == "BE"
    assert item.source == CoverageSource.STAFF


def test_coverage_add_refuses_the_same_address_twice_per_event(event):
    coverage_add(event=event, url="https://news.example/a", headline="One")

    with pytest.raises(CoverageError) as refused:
        coverage_add(event=event, url="https://news.example/a#again", headline="Two")

    assert refused.value.code == "duplicate"
    assert CoverageItem.objects.count() == 1


def test_coverage_add_allows_the_same_address_for_another_event(event):
    coverage_add(event=event, url="https://news.example/a", headline="One")

    coverage_add(event=EventFactory(), url="https://news.example/a", headline="One")

    assert CoverageItem.objects.count() == 2


@pytest.mark.parametrize("url", ["ftp://news.example/a", "javascript:alert(1)", "not a url", ""])
def test_coverage_add_refuses_what_is_not_a_web_address(event, url):
    with pytest.raises(CoverageError) as refused:
        coverage_add(event=event, url=url, headline="x")

    assert refused.value.code == "bad_url"
    assert CoverageItem.objects.count() == 0


def test_coverage_add_refuses_a_fake_clipping(event):
    fake = SimpleUploadedFile("clip.pdf", b"<html>not a pdf</html>", content_type="application/pdf")

    with pytest.raises(CoverageError) as refused:
        coverage_add(event=event, url="https://news.example/a", headline="x", clipping=fake)

    assert refused.value.code == "bad_clipping"
    assert CoverageItem.objects.count() == 0


def test_coverage_add_keeps_the_clipping_in_private_storage(event):
    clipping = SimpleUploadedFile("my-screenshot.pdf", PDF_BYTES, content_type="application/pdf")

    item = coverage_add(event=event, url="https://news.example/a", headline="x", clipping=clipping)

    assert item.clipping.name.startswith(f"clippings/{event.pk}/")
    assert "screenshot" not in item.clipping.name
    assert storages["private"].exists(item.clipping.name)


# Privacy --------------------------------------------------------------------------


def test_personal_data_export_includes_coverage(event):
    journalist = JournalistFactory()
    CoverageItemFactory(event=event, journalist=journalist, url="https://news.example/mine")

    data = journalist_export_personal_data(journalist=journalist)

    assert [item["url"] for item in data["coverage"]] == ["https://news.example/mine"]


def test_personal_data_export_includes_the_coverage_invitations(event):
    journalist = JournalistFactory(email="ana@example.org", language="pt")
    other_event = EventFactory(slug="lisbon-2027")
    sent_at = dt.datetime(2024, 3, 25, 9, 30, tzinfo=dt.UTC)
    CoverageInvitationFactory(
        event=event,
        journalist=journalist,
        state=InvitationState.OPENED,
        sent_at=sent_at,
        opened_at=sent_at + dt.timedelta(hours=2),
        message_id="msg-1",
    )
    CoverageInvitationFactory(event=other_event, journalist=journalist)
    CoverageItemFactory(
        event=event,
        journalist=journalist,
        source=CoverageSource.JOURNALIST,
        url="https://news.example/mine",
    )
    CoverageItemFactory(event=event, journalist=journalist, url="https://news.example/office")
    CoverageInvitationFactory(event=event)  # someone else's

    data = journalist_export_personal_data(journalist=journalist)

    first, second = data["coverage_invitations"]
    assert first == {
        "event": event.slug,
        "sent_to": "ana@example.org",
        "language": "pt",
        "state": "opened",
        "prepared_at": first["prepared_at"],
        "sent_at": "2024-03-25T09:30:00+00:00",
        "delivered_at": None,
        "opened_at": "2024-03-25T11:30:00+00:00",
        "bounced_at": None,
        "complained_at": None,
        "last_used_at": None,
        "provider_message_id": "msg-1",
        "error": "",
        "items_submitted": ["https://news.example/mine"],
    }
    assert first["prepared_at"] is not None
    assert (second["event"], second["state"], second["items_submitted"]) == (
        "lisbon-2027",
        "queued",
        [],
    )
    assert "token" not in first
    json.dumps(data)


def test_erasure_leaves_no_coverage_invitation_in_the_export(event, officer):
    journalist = JournalistFactory()
    CoverageInvitationFactory(event=event, journalist=journalist)
    CoverageItemFactory(event=event, journalist=journalist, source=CoverageSource.JOURNALIST)

    journalist_erase(journalist=journalist, by=officer)
    journalist.refresh_from_db()
    data = journalist_export_personal_data(journalist=journalist)

    assert data["coverage_invitations"] == []
    assert data["coverage"] == []


def test_erasure_unlinks_office_items_and_deletes_submitted_ones(
    event, officer, django_capture_on_commit_callbacks
):
    journalist = JournalistFactory()
    office = CoverageItemFactory(event=event, journalist=journalist, notes="Met at the desk")
    own = CoverageItemFactory(
        event=event,
        journalist=journalist,
        source=CoverageSource.JOURNALIST,
        clipping=SimpleUploadedFile("c.pdf", PDF_BYTES),
    )
    clipping_name = own.clipping.name
    CoverageInvitationFactory(event=event, journalist=journalist)

    with django_capture_on_commit_callbacks(execute=True):
        journalist_erase(journalist=journalist, by=officer)

    office.refresh_from_db()
    assert office.journalist is None
    assert office.notes == ""
    assert not CoverageItem.objects.filter(pk=own.pk).exists()
    assert not storages["private"].exists(clipping_name)
    assert not CoverageInvitation.objects.filter(journalist=journalist).exists()


# Import ---------------------------------------------------------------------------


def test_import_plan_creates_updates_and_skips_with_reasons(event):
    CoverageItemFactory(event=event, url="https://known.example/a", headline="Old")
    data = _xlsx(
        [
            ["Lien", "Titre", "Média", "Date", "Langue", "Type", "Audience estimée"],
            [
                "https://new.example/1",
                "New one",
                "Le Soir",
                "21/03/2024",
                "fr",
                "presse écrite",
                "1 200 000",
            ],
            ["https://known.example/a", "Updated", "", "2024-03-22", "en", "web", ""],
            ["ftp://bad.example/x", "Bad scheme", "", "", "", "", ""],
            ["https://new.example/1", "Same again", "", "", "", "", ""],
            ["https://new.example/2", "Bad kind", "", "", "", "podcast", ""],
            ["https://new.example/3", "Bad date", "", "someday", "", "", "many"],
            [None, None, None, None, None, None, None],
        ]
    )

    with translation.override("en"):
        plan = coverage_import_plan(event=event, data=data)

    assert plan.counts == {"create": 1, "update": 1, "skip": 4}
    reasons = {row.row: row.reason for row in plan.of("skip")}
    assert "not an http(s) address" in reasons[4]
    assert "same address as row 2" in reasons[5]
    assert "“podcast” is unknown" in reasons[6]
    assert "“someday” is not a date" in reasons[7]
    assert "“many” is not a whole number" in reasons[7]
    assert CoverageItem.objects.count() == 1  # the plan writes nothing


def test_import_apply_writes_the_plan(event):
    OutletFactory(name="Le Soir", country="BE")
    CoverageItemFactory(event=event, url="https://known.example/a", headline="Old")
    data = _xlsx(
        [
            ["URL", "Headline", "Outlet", "Date", "Language", "Kind", "Audience"],
            [
                "https://new.example/1",
                "New one",
                "Le Soir",
                "2024-03-21",
                "fr",
                "print",
                "1,200,000",
            ],
            ["https://known.example/a", "Updated", "", "", "en", "", ""],
        ]
    )

    plan = coverage_import_apply(event=event, data=data)

    assert plan.counts == {"create": 1, "update": 1, "skip": 0}
    created = CoverageItem.objects.get(url="https://new.example/1")
    assert (created.outlet.name, created.country.code, created.kind) == ("Le Soir", "BE", "print")
    assert created.estimated_audience == 1_200_000
    assert created.source == CoverageSource.IMPORT
    known = CoverageItem.objects.get(url="https://known.example/a")
    assert (known.headline, known.language) == ("Updated", "en")


def test_import_without_url_column_is_refused(event):
    from contacts.imports.reading import UnreadableSpreadsheet

    with pytest.raises(UnreadableSpreadsheet) as refused:
        coverage_import_plan(event=event, data=_xlsx([["Title", "Date"], ["x", "y"]]))

    assert refused.value.code == "no_header"


def test_import_apply_is_all_or_nothing(event, monkeypatch):
    data = _xlsx([["URL", "Headline"], ["https://a.example/1", "A"], ["https://a.example/2", "B"]])
    real = CoverageItem.objects.bulk_update

    def broken(*args, **kwargs):
        raise RuntimeError("the database fails half way")

    CoverageItemFactory(event=event, url="https://a.example/2", headline="Old")
    monkeypatch.setattr(CoverageItem.objects, "bulk_update", broken)

    with pytest.raises(RuntimeError):
        coverage_import_apply(event=event, data=data)

    monkeypatch.setattr(CoverageItem.objects, "bulk_update", real)
    assert list(CoverageItem.objects.values_list("url", flat=True)) == ["https://a.example/2"]


# Back office ----------------------------------------------------------------------


def test_admin_import_previews_then_applies(officer_client, event):
    data = _xlsx([["URL", "Headline"], ["https://a.example/1", "A"], ["bad", "B"]])
    upload = SimpleUploadedFile("monitoring.xlsx", data)

    preview = officer_client.post(
        reverse("admin:coverage_coverageitem_import"), {"event": event.pk, "file": upload}
    )

    assert preview.status_code == 200
    assert CoverageItem.objects.count() == 0
    ticket = preview.context["ticket"]
    applied = officer_client.post(
        reverse("admin:coverage_coverageitem_import"), {"ticket": ticket, "confirm": "1"}
    )
    assert applied.status_code == 302
    assert list(CoverageItem.objects.values_list("headline", flat=True)) == ["A"]


def test_admin_import_counts_each_figure_in_its_own_form(officer_client, event):
    rows = [["URL", "Headline"], ["https://a.example/1", "A"], ["https://a.example/2", "B"]]
    upload = SimpleUploadedFile("monitoring.xlsx", _xlsx([*rows, ["bad", "C"]]))
    preview = officer_client.post(
        reverse("admin:coverage_coverageitem_import"),
        {"event": event.pk, "file": upload},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    applied = officer_client.post(
        reverse("admin:coverage_coverageitem_import"),
        {"ticket": preview.context["ticket"], "confirm": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    shown = [str(message) for message in get_messages(applied.wsgi_request)]
    assert shown == ["2 retombées créées, 0 mise à jour, 1 ligne écartée."]


def test_admin_import_refuses_a_forged_ticket(officer_client, event):
    response = officer_client.post(
        reverse("admin:coverage_coverageitem_import"),
        {"ticket": "forged", "confirm": "1"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "This preview has expired" in response.content.decode()
    assert CoverageItem.objects.count() == 0


def test_admin_import_refuses_a_file_that_is_no_spreadsheet(officer_client, event):
    upload = SimpleUploadedFile("x.xlsx", b"\x00\x01binary")

    with translation.override("fr"):
        response = officer_client.post(
            reverse("admin:coverage_coverageitem_import"),
            {"event": event.pk, "file": upload},
            HTTP_ACCEPT_LANGUAGE="fr",
        )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert CoverageItem.objects.count() == 0


def test_admin_paste_refuses_a_known_address(officer_client, event):
    CoverageItemFactory(event=event, url="https://news.example/a")

    response = officer_client.post(
        reverse("admin:coverage_coverageitem_paste"),
        {"event": event.pk, "url": "https://news.example/a"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 200
    assert "déjà dans la couverture" in response.content.decode()


def test_admin_paste_of_an_unreadable_page_opens_the_form_with_the_address(
    officer_client, event, settings
):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False

    response = officer_client.post(
        reverse("admin:coverage_coverageitem_paste"),
        {"event": event.pk, "url": "http://127.0.0.1:9/x"},
    )

    assert response.status_code == 302
    assert "url=http%3A%2F%2F127.0.0.1%3A9%2Fx" in response["Location"]
    assert CoverageItem.objects.count() == 0


def test_admin_list_filters_by_country_and_kind(officer_client, event):
    CoverageItemFactory(event=event, country="FR", kind="radio", headline="Radio France")
    CoverageItemFactory(event=event, country="BE", kind="tv", headline="RTBF")

    response = officer_client.get(
        reverse("admin:coverage_coverageitem_changelist"), {"country": "FR", "kind": "radio"}
    )

    assert [item.headline for item in response.context["cl"].result_list] == ["Radio France"]


def test_admin_list_work_does_not_grow_with_its_rows(officer_client, event, monkeypatch):
    """The same queries for one row and for a page of them, and one country name
    looked up per row (not the field's 250 choices translated again on every row)."""
    translated = []
    translate_pair = Countries.translate_pair

    def counting(self, *args, **kwargs):
        translated.append(args[0])
        return translate_pair(self, *args, **kwargs)

    monkeypatch.setattr(Countries, "translate_pair", counting)
    url = reverse("admin:coverage_coverageitem_changelist")
    CoverageItemFactory(event=event, country="FR")
    officer_client.get(url, HTTP_ACCEPT_LANGUAGE="en")  # warm the session and permissions

    def measure():
        translated.clear()
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return len(queries), len(translated), response.content.decode()

    one_row = measure()
    CoverageItemFactory.create_batch(30, event=event, country="BE")
    many_rows = measure()

    assert many_rows[0] == one_row[0]
    assert many_rows[1] - one_row[1] <= 30
    assert '<td class="field-country_name">Belgium</td>' in many_rows[2]
    assert '<td class="field-country_name">France</td>' in many_rows[2]


def test_clipping_is_served_to_staff_who_may_see_coverage_only(
    client, officer_client, event, staff_user
):
    item = CoverageItemFactory(
        event=event, clipping=SimpleUploadedFile("c.png", image_bytes(fmt="PNG"))
    )
    url = reverse("admin:coverage_coverageitem_clipping", args=[item.pk])

    served = officer_client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert "private" in served["Cache-Control"]
    assert "no-store" in served["Cache-Control"]
    assert served["X-Content-Type-Options"] == "nosniff"

    desk = staff_user("Check-in desk")
    client.force_login(desk)
    assert client.get(url).status_code == 403


def test_clipping_is_refused_to_anonymous_visitors(client, event):
    item = CoverageItemFactory(event=event, clipping=SimpleUploadedFile("c.pdf", PDF_BYTES))

    response = client.get(reverse("admin:coverage_coverageitem_clipping", args=[item.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_journalist_page_shows_their_coverage(officer_client, event):
    journalist = JournalistFactory()
    CoverageItemFactory(event=event, journalist=journalist, headline="Seen on their page")

    response = officer_client.get(reverse("admin:contacts_journalist_change", args=[journalist.pk]))

    assert "Seen on their page" in response.content.decode()


def test_viewer_cannot_import(client, staff_user, event):
    client.force_login(staff_user("Viewer"))

    assert client.get(reverse("admin:coverage_coverageitem_import")).status_code == 403
    assert client.get(reverse("admin:coverage_coverageitem_paste")).status_code == 403
