"""Names, outlets and other one-line text refuse invisible control and format characters
(bidirectional overrides, zero-width spaces, soft hyphens, control characters) wherever
they enter: the public accreditation form, the media file's admin, the spreadsheet
import and the coverage link. Ordinary joiners (ZWNJ, ZWJ) pass."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from contacts.imports.applying import contacts_import
from contacts.models import Journalist, Outlet
from press.accreditation.models import BadgeRequest
from press.core.text import OneLineTextValidator, invisible_character
from press.coverage.models import CoverageItem
from tests.factories import EventFactory, JournalistFactory, OutletFactory
from tests.factories.coverage import CoverageInvitationFactory
from tests.test_accreditation_views import _post_data
from tests.test_contacts_admin import empty_inlines
from tests.test_contacts_import import csv_bytes

N = "\u202f"
RLO = "\u202e"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "character",
    [
        "\u202a",  # left-to-right embedding
        "\u202e",  # right-to-left override
        "\u2066",  # left-to-right isolate
        "\u2069",  # pop directional isolate
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u200b",  # zero-width space
        "\u00ad",  # soft hyphen
        "\ufeff",  # byte order mark
        "\x00",
        "\x07",
        "\t",
        "\n",
        "\x7f",
        "\x85",
    ],
)
def test_invisible_characters_are_found(character):
    assert invisible_character(f"Du{character}pont") == character


@pytest.mark.parametrize(
    "text",
    [
        "Dupont",
        "Łukasiewicz-Ğündoğdu",
        "می\u200cخواهم",  # Persian with a zero-width non-joiner
        "क\u094d\u200dष",  # Devanagari with a zero-width joiner
        "O’Brien & Söhne",
        "Αλέξανδρος Ольга",
    ],
)
def test_ordinary_text_and_joiners_pass(text):
    assert invisible_character(text) is None
    OneLineTextValidator("last name")(text)


def test_validator_message_names_the_field_in_the_language():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            OneLineTextValidator("last name")(f"Dupont{RLO}")
        assert error.value.messages == [
            "Last name: contains an invisible character (U+202E); type the text again without it."
        ]


def test_accreditation_form_refuses_an_override_in_the_last_name_in_french(client):
    event = EventFactory()

    response = client.post("/fr/accreditation/", _post_data(event, last_name=f"Janss{RLO}ens"))

    assert response.status_code == 200
    assert (
        f"Nom{N}: contient un caractère invisible (U+202E){N}; retapez le texte sans lui."
        in response.content.decode()
    )
    assert BadgeRequest.objects.count() == 0


def test_accreditation_form_refuses_a_zero_width_space_in_the_outlet_in_english(client):
    event = EventFactory()

    response = client.post("/en/accreditation/", _post_data(event, outlet_name="Le\u200bSoir"))

    assert response.status_code == 200
    assert (
        "Outlet: contains an invisible character (U+200B); type the text again without it."
        in response.content.decode()
    )
    assert BadgeRequest.objects.count() == 0


def test_accreditation_form_accepts_a_name_with_a_joiner(client):
    event = EventFactory()

    response = client.post("/fr/accreditation/", _post_data(event, first_name="می\u200cخواهم"))

    assert response.status_code == 302
    assert BadgeRequest.objects.get().first_name == "می\u200cخواهم"


def test_journalist_admin_refuses_an_override_in_the_name(officer_client):
    response = officer_client.post(
        "/admin/contacts/journalist/add/",
        {
            "first_name": f"Ann{RLO}a",
            "email": "anna@media.example",
            "language": "fr",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 200
    assert (
        f"Prénom{N}: contient un caractère invisible (U+202E){N}; retapez le texte sans lui."
        in response.content.decode()
    )
    assert Journalist.objects.count() == 0


def test_outlet_admin_refuses_a_soft_hyphen_in_the_name(officer_client):
    outlet = OutletFactory(name="Le Soir")

    response = officer_client.post(
        f"/admin/contacts/outlet/{outlet.pk}/change/",
        {"name": "Le\u00adSoir", "kind": "newspaper", "country": "BE", "city": ""},
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "Name: contains an invisible character (U+00AD)" in response.content.decode()
    outlet.refresh_from_db()
    assert outlet.name == "Le Soir"


def test_model_validation_refuses_invisible_characters_in_every_one_line_field():
    journalist = JournalistFactory.build(outlet=None, job_title=f"Reporter{RLO}", city="Gent\u200b")

    with pytest.raises(ValidationError) as error:
        journalist.full_clean()

    assert set(error.value.message_dict) == {"job_title", "city"}


def test_one_line_fields_keep_their_length_limit():
    journalist = JournalistFactory.build(outlet=None, first_name="A" * 101)

    with pytest.raises(ValidationError) as error:
        journalist.full_clean()

    assert set(error.value.message_dict) == {"first_name"}
    validators = Journalist._meta.get_field("first_name").validators
    assert [type(v).__name__ for v in validators] == ["OneLineTextValidator", "MaxLengthValidator"]


def test_import_refuses_the_row_naming_column_and_row_and_keeps_the_rest():
    data = csv_bytes(
        "Email,Nom,Média\n"
        "good@media.example,Dupont,Le Soir\n"
        f"bad@media.example,Dup{RLO}ont,Le Soir\n"
        "other@media.example,Martin,De\u200bStandaard\n"
    )

    with translation.override("fr"):
        plan = contacts_import(data=data)

    assert list(Journalist.objects.values_list("email", flat=True)) == ["good@media.example"]
    assert [(r.row, r.email, r.note.code) for r in plan.refused] == [
        (3, "bad@media.example", "invisible_character"),
        (4, "other@media.example", "invisible_character"),
    ]
    assert plan.refused[0].note.message == (
        f"Ligne 3, colonne «{N}Nom{N}»{N}: contient un caractère invisible (U+202E){N}; "
        "la ligne n’est pas importée."
    )
    assert not Outlet.objects.filter(name__contains="\u200b").exists()


def test_import_row_with_invisible_character_never_updates_an_existing_journalist():
    JournalistFactory(email="known@media.example", job_title="", outlet=None)

    plan = contacts_import(data=csv_bytes(f"Email,Job title\nknown@media.example,Edit{RLO}or\n"))

    assert [r.note.code for r in plan.refused] == ["invisible_character"]
    assert Journalist.objects.get().job_title == ""


def test_import_keeps_line_breaks_of_notes():
    plan = contacts_import(data=csv_bytes('Email,Notes\nn@media.example,"line one\nline two"\n'))

    assert plan.refused == []
    assert Journalist.objects.get().notes


def test_coverage_link_refuses_an_override_in_the_address(client):
    invitation = CoverageInvitationFactory(event=EventFactory())
    with translation.override("en"):
        url = reverse("coverage:submit", kwargs={"token": invitation.token})

    response = client.post(url, {"url": f"https://news.example/{RLO}fdp.exe", "kind": "online"})

    assert response.status_code == 400
    assert (
        "Address of the article or broadcast: contains an invisible character (U+202E)"
        in response.content.decode()
    )
    assert CoverageItem.objects.count() == 0
