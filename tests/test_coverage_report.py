"""The post-event PDF report and the xlsx export: commands and back-office downloads."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from press.accreditation.enums import BadgeRequestState
from press.coverage.models import CoverageItem
from press.coverage.report import coverage_export_rows, coverage_report_write
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.models import Delivery, Mailing
from tests.factories import JournalistFactory, ReleaseFactory, ReleaseVersionFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.coverage import CoverageItemFactory


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def full_event(event):
    for state in [BadgeRequestState.APPROVED] * 3 + [BadgeRequestState.REJECTED] * 4:
        BadgeRequestFactory(event=event, state=state)
    CoverageItemFactory.create_batch(2, event=event, country="FR", kind="radio", language="fr")
    CoverageItemFactory(
        event=event,
        country="PL",
        kind="print",
        language="pl",
        headline="Miasta i bezpieczeństwo — Łódź",
        outlet_name="Gazeta Łódzka",
        estimated_audience=125000,
    )
    release = ReleaseFactory(event=event)
    ReleaseVersionFactory(release=release, language="en", title="Cities meet in Brussels")
    mailing = Mailing.objects.create(
        event=event,
        kind=MailingKind.RELEASE,
        release=release,
        state=MailingState.SENT,
        started_at=timezone.now(),
    )
    now = timezone.now()
    for index in range(8):
        Delivery.objects.create(
            mailing=mailing,
            journalist=JournalistFactory(),
            email=f"r{index}@media.example",
            language="en",
            state=DeliveryState.DELIVERED,
            opened_at=now if index < 4 else None,
            clicked_at=now if index < 2 else None,
        )
    return event


def test_coverage_report_command_writes_a_pdf_with_the_figures(full_event, tmp_path):
    out = tmp_path / "report.pdf"

    with translation.override("en"):
        call_command("coverage_report", str(out), "--event", full_event.slug)

    text = _text(out.read_bytes())
    assert "Coverage report" in text
    assert "Badge requests\n7" in text
    assert "Accredited journalists\n3" in text
    assert "Coverage items\n3" in text
    assert "125\u202f000" in text or "125 000" in text
    assert "Cities meet in Brussels" in text
    assert "50.0" in text  # 4 of 8 opened
    assert "25.0" in text  # 2 of 8 clicked
    assert "Poland\n1" in text
    assert "Polish\n1" in text
    assert "Radio\n2" in text
    assert "Gazeta Łódzka" in text
    assert "Miasta i bezpieczeństwo — Łódź" in text
    assert "https://news.example/article-" in text


def test_coverage_report_in_french(full_event, tmp_path):
    out = tmp_path / "rapport.pdf"

    with translation.override("fr"):
        call_command("coverage_report", str(out), "--event", full_event.slug)

    text = _text(out.read_bytes())
    assert "Bilan des retombées" in text
    assert "Pologne\n1" in text
    assert "olonais\n1" in text
    assert "Demandes de badge\n7" in text


def test_coverage_report_unknown_slug_is_a_clear_error(db, tmp_path):
    out = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match="No event with the slug 'nowhere'"):
        call_command("coverage_report", str(out), "--event", "nowhere")

    assert not out.exists()


def test_export_coverage_unknown_slug_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No event with the slug 'nowhere'"):
        call_command("export_coverage", str(tmp_path / "x.xlsx"), "--event", "nowhere")


@pytest.mark.parametrize("command", ["export_coverage", "coverage_report"])
def test_commands_exit_non_zero_on_a_bad_slug(db, tmp_path, capsys, command):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", command, str(tmp_path / "out"), "--event", "nowhere"]
        )

    assert exited.value.code == 1
    assert "No event with the slug 'nowhere'" in capsys.readouterr().err


def test_export_coverage_neutralises_a_formula_headline(event, tmp_path):
    CoverageItemFactory(event=event, headline='=HYPERLINK("http://evil.example","click")')
    out = tmp_path / "coverage.xlsx"

    with translation.override("en"):
        call_command("export_coverage", str(out), "--event", event.slug)

    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=False))
    assert rows[0][0].value == "Headline"
    cell = rows[1][0]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil.example","click")'
    assert cell.quotePrefix is True


def test_admin_report_download(officer_client, full_event):
    response = officer_client.get(
        reverse("admin:coverage_coverageitem_report"),
        {"event": full_event.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Accredited journalists\n3" in _text(b"".join(response.streaming_content))


def test_admin_export_download(officer_client, full_event):
    response = officer_client.get(
        reverse("admin:coverage_coverageitem_export"), {"event": full_event.pk}
    )

    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.max_row == 4  # header and three items


def test_admin_report_refused_to_the_desk(client, staff_user, full_event):
    client.force_login(staff_user("Check-in desk"))

    response = client.get(reverse("admin:coverage_coverageitem_report"), {"event": full_event.pk})

    assert response.status_code == 403


def test_report_of_an_event_without_coverage(event, tmp_path):
    out = tmp_path / "empty.pdf"

    with translation.override("en"):
        call_command("coverage_report", str(out), "--event", event.slug)

    text = _text(out.read_bytes())
    assert "No coverage recorded yet." in text
    assert "No release was sent for this event." in text
    assert dt.date.today().year  # the cover's date is printed without error


def test_report_clippings_list_runs_over_pages_with_every_item_and_link(event, tmp_path):
    long_headline = " ".join(["Les villes européennes face aux défis de la sécurité"] * 4)
    CoverageItemFactory(
        event=event,
        headline=long_headline,
        url="https://news.example/long",
        published_on=dt.date(2024, 3, 20),
    )
    CoverageItemFactory.create_batch(
        80, event=event, outlet_name="Gazeta Łódzka", published_on=dt.date(2024, 3, 21)
    )
    out = tmp_path / "report.pdf"

    with translation.override("en"):
        summary = coverage_report_write(event=event, target=str(out))

    reader = PdfReader(str(out))
    clipping_pages = [page for page in reader.pages if "Headline" in page.extract_text()]
    text = " ".join(" ".join(page.extract_text() for page in clipping_pages).split())
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in clipping_pages
        for annotation in page.get("/Annots", [])
    ]
    assert summary.items == 81
    assert len(clipping_pages) >= 2  # the header is printed again on each page
    assert long_headline in text  # wrapped over lines, never cut
    assert text.count("Gazeta Łódzka") == 80
    assert text.count("03/21/2024") == 80
    items = CoverageItem.objects.filter(event=event).order_by("published_on", "pk")
    assert links == [item.url for item in items]


def test_export_rows_name_the_journalist_and_labels_without_a_query_per_item(
    event, django_assert_num_queries
):
    journalist = JournalistFactory(first_name="Ana", last_name="Silva")
    CoverageItemFactory(
        event=event,
        journalist=journalist,
        headline="Cidades e segurança",
        outlet_name="Público",
        country="PT",
        language="pt",
        kind="radio",
        source="journalist",
        estimated_audience=5000,
        url="https://publico.example/a",
    )

    with translation.override("en"), django_assert_num_queries(1):
        (row,) = list(coverage_export_rows(event=event))
    CoverageItemFactory.create_batch(30, event=event, journalist=JournalistFactory())
    with django_assert_num_queries(1):
        rows = list(coverage_export_rows(event=event))

    assert row == [
        "Cidades e segurança",
        "Público",
        "PT",
        dt.date(2024, 3, 21),
        "pt",
        "Radio",
        5000,
        "Ana Silva",
        "Submitted by the journalist",
        "https://publico.example/a",
    ]
    assert len(rows) == 31
