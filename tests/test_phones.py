"""Phone numbers: validated with phonenumbers on the form as on import, stored in E.164,
shown as the press office dials them (national format for its own country, set by
PRESS_OFFICE_COUNTRY, international otherwise); spreadsheets keep E.164."""

import importlib
from io import BytesIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from contacts.imports.applying import contacts_import
from contacts.models import Journalist
from press import permissions
from press.accreditation.models import BadgeRequest
from press.core.phones import phone_display, phone_e164, phone_editable
from tests.factories import EventFactory, JournalistFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.checkin import approved_request, event_today
from tests.test_accreditation_views import _post_data
from tests.test_contacts_admin import empty_inlines
from tests.test_contacts_import import csv_bytes

N = "\u202f"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("+32 470 12 34 56", "", "+32470123456"),
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0470 12 34 56", "", "+32470123456"),  # the office's country
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("0033 6 12 34 56 78", "BE", "+33612345678"),
        (32470123456, "", "+32470123456"),  # an Excel number cell lost its "+"
        ("", "BE", ""),
        ("12", "BE", None),
        ("not a number", "BE", None),
        ("+32 470", "", None),
    ],
)
def test_phone_e164(typed, country, stored):
    assert phone_e164(typed, country=country) == stored


@pytest.mark.parametrize(
    ("stored", "office", "shown"),
    [
        ("+32470123456", "BE", "0470 12 34 56"),
        ("+33612345678", "BE", "+33 6 12 34 56 78"),
        ("+33612345678", "FR", "06 12 34 56 78"),
        ("+32470123456", "FR", "+32 470 12 34 56"),
        ("call the desk", "BE", "call the desk"),
        ("", "BE", ""),
    ],
)
def test_phone_filter_formats_for_the_office_country(settings, stored, office, shown):
    settings.PRESS_OFFICE_COUNTRY = office
    rendered = Template("{% load presse %}{{ number|phone }}").render(Context({"number": stored}))
    assert rendered == shown
    assert phone_display(stored) == shown


def test_form_stores_a_national_number_read_with_the_outlet_country(client):
    event = EventFactory()

    response = client.post(
        "/fr/accreditation/",
        _post_data(event, phone="06 12 34 56 78", outlet_country="FR", nationality="BE"),
    )

    assert response.status_code == 302
    assert BadgeRequest.objects.get().phone == "+33612345678"


def test_form_refuses_an_invalid_number_in_french(client):
    event = EventFactory()

    response = client.post("/fr/accreditation/", _post_data(event, phone="12 34"))

    assert response.status_code == 200
    assert (
        f"«{N}12 34{N}» n’est pas un numéro de téléphone joignable{N}; donnez-le avec "
        "l’indicatif du pays, par exemple +32\xa0470\xa012\xa034\xa056."
    ) in response.content.decode()
    assert BadgeRequest.objects.count() == 0


def test_form_refuses_an_invalid_number_in_english(client):
    event = EventFactory()

    response = client.post("/en/accreditation/", _post_data(event, phone="+32 470"))

    assert response.status_code == 200
    assert (
        "“+32 470” is not a phone number we can call; give it with the country code, such "
        "as +32 470 12 34 56."
    ) in response.content.decode()
    assert BadgeRequest.objects.count() == 0


def test_import_leaves_an_invalid_number_empty_with_a_note_on_its_row():
    data = csv_bytes(
        "Email,Téléphone,Pays\n"
        "good@media.example,06 12 34 56 78,France\n"
        "bad@media.example,n/a,Belgique\n"
    )

    with translation.override("fr"):
        plan = contacts_import(data=data)

    phones = dict(Journalist.objects.values_list("email", "phone"))
    assert phones == {"good@media.example": "+33612345678", "bad@media.example": ""}
    bad = next(entry for entry in plan.created if entry.email == "bad@media.example")
    assert bad.row == 3
    assert [(note.code, note.message) for note in bad.notes] == [
        (
            "invalid_phone",
            f"Téléphone «{N}n/a{N}» n’est pas un numéro valide{N}; laissé vide.",
        )
    ]


def test_import_never_fills_an_existing_phone_with_garbage():
    JournalistFactory(email="known@media.example", phone="")

    contacts_import(data=csv_bytes("Email,Phone\nknown@media.example,12\n"))

    assert Journalist.objects.get().phone == ""


def test_journalist_admin_refuses_an_invalid_number(officer_client):
    response = officer_client.post(
        "/admin/contacts/journalist/add/",
        {
            "email": "hand@media.example",
            "phone": "123",
            "country": "BE",
            "language": "fr",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 200
    assert f"«{N}123{N}» n’est pas un numéro de téléphone valide" in response.content.decode()
    assert Journalist.objects.count() == 0


def test_request_page_shows_the_number_formatted(client, staff_user):
    client.force_login(staff_user(permissions.ACCREDITATION_REVIEWER))
    badge_request = BadgeRequestFactory(event=EventFactory(), phone="+33612345678")

    html = client.get(
        reverse("admin:accreditation_badgerequest_change", args=[badge_request.pk])
    ).content.decode()

    assert "+33 6 12 34 56 78" in html
    assert "+33612345678" not in html


def test_checkin_expected_list_formats_and_its_export_keeps_e164(client, staff_user):
    client.force_login(staff_user(permissions.CHECKIN_DESK))
    event = event_today()
    approved_request(event, last_name="Waiting", phone="+32470123456")
    url = reverse("checkin:lists", args=["expected"])

    html = client.get(url).content.decode()
    export = client.get(url, {"export": "xlsx"})
    workbook = load_workbook(BytesIO(b"".join(export.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()

    assert "<td>0470 12 34 56</td>" in html
    assert rows[1][4] == "+32470123456"


@pytest.mark.parametrize(
    ("app", "migration"),
    [
        ("contacts", "contacts.migrations.0005_one_line_text_and_e164_phones"),
        ("accreditation", "press.accreditation.migrations.0005_badge_request_phones_e164"),
    ],
)
def test_data_migration_normalises_stored_phones_and_keeps_unparseable_ones(app, migration):
    event = EventFactory()
    if app == "contacts":
        model = Journalist
        national = JournalistFactory(country="FR")
        garbage = JournalistFactory(country="BE")
    else:
        model = BadgeRequest
        national = BadgeRequestFactory(event=event, outlet_country="FR")
        garbage = BadgeRequestFactory(event=event, outlet_country="BE")
    model.objects.filter(pk=national.pk).update(phone="06 12 34 56 78")
    model.objects.filter(pk=garbage.pk).update(phone="ask the desk")

    importlib.import_module(migration).phones_to_e164(apps, None)

    phones = dict(model.objects.values_list("pk", "phone"))
    assert phones == {national.pk: "+33612345678", garbage.pk: "ask the desk"}


def test_an_edit_box_shows_the_number_international_and_grouped():
    assert phone_editable("+32470123456") == "+32 470 12 34 56"
    assert phone_editable("+33612345678") == "+33 6 12 34 56 78"
    assert phone_editable("ask the desk") == "ask the desk"
    assert phone_editable("") == ""
