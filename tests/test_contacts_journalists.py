import datetime as dt
import json

import pytest
from django.db import IntegrityError
from django.utils import timezone

from contacts.enums import ConsentBasis, ContactSource, SuppressionReason
from contacts.journalists import (
    ContactError,
    journalist_erase,
    journalist_export_personal_data,
    journalist_suppress,
    journalist_upsert,
)
from contacts.models import Journalist, Suppression, email_digest
from contacts.privacy import PERSONAL_DATA_SECTIONS
from contacts.signals import journalist_erased
from tests.factories import ContactListFactory, JournalistFactory, OutletFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_journalist_upsert_creates_with_source_and_consent():
    contact_list = ContactListFactory()

    journalist, created = journalist_upsert(
        email="  New.Person@Media.Example ",
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={"first_name": "New", "phone": "0470 12 34 56", "country": "BE", "city": ""},
        lists=[contact_list],
    )

    assert created is True
    assert journalist.email == "new.person@media.example"
    assert journalist.first_name == "New"
    assert journalist.phone == "+32470123456"
    assert journalist.source == ContactSource.ACCREDITATION
    assert journalist.consent_basis == ConsentBasis.CONTRACT
    assert journalist.consent_at is not None
    assert list(journalist.lists.all()) == [contact_list]


def test_journalist_upsert_ignores_a_language_the_site_does_not_have():
    journalist, _created = journalist_upsert(
        email="de@media.example",
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={"language": "de"},
    )

    assert journalist.language == "fr"


def test_journalist_upsert_fills_only_empty_fields_of_existing():
    outlet = OutletFactory()
    existing = JournalistFactory(
        email="Known@Media.example", first_name="Kim", job_title="", outlet=None
    )

    journalist, created = journalist_upsert(
        email="known@media.EXAMPLE",
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={"first_name": "Other", "job_title": "Editor", "outlet": outlet},
    )

    existing.refresh_from_db()
    assert created is False
    assert journalist.pk == existing.pk
    assert (existing.first_name, existing.job_title, existing.outlet) == ("Kim", "Editor", outlet)
    assert existing.source == ContactSource.MANUAL
    assert Journalist.objects.count() == 1


def test_journalist_upsert_keeps_suppression():
    existing = JournalistFactory(email="gone@media.example")
    journalist_suppress(journalist=existing, reason=SuppressionReason.UNSUBSCRIBED)

    journalist, created = journalist_upsert(
        email="gone@media.example",
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={},
    )

    assert created is False
    assert journalist.suppression_reason == SuppressionReason.UNSUBSCRIBED
    assert not Journalist.objects.mailable().exists()


def test_journalist_upsert_of_erased_address_creates_suppressed():
    journalist_erase(journalist=JournalistFactory(email="back@media.example"), by=UserFactory())

    journalist, created = journalist_upsert(
        email="Back@media.example",
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={"first_name": "Back"},
    )

    assert created is True
    assert journalist.suppression_reason == SuppressionReason.ERASED
    assert not Journalist.objects.mailable().filter(pk=journalist.pk).exists()


def test_journalist_upsert_refuses_invalid_email():
    with pytest.raises(ContactError) as raised:
        journalist_upsert(
            email="not an address",
            source=ContactSource.MANUAL,
            consent_basis=ConsentBasis.LEGITIMATE_INTEREST,
            values={},
        )

    assert raised.value.code == "invalid_email"
    assert Journalist.objects.count() == 0


def test_journalist_email_is_unique_case_insensitively_in_the_database():
    JournalistFactory(email="same@media.example")

    with pytest.raises(IntegrityError):
        JournalistFactory(email="SAME@media.example")


def test_journalist_suppress_is_idempotent_and_keeps_the_first_reason():
    journalist = JournalistFactory()
    first = timezone.now() - dt.timedelta(days=1)

    changed_first = journalist_suppress(
        journalist=journalist, reason=SuppressionReason.BOUNCED, at=first
    )
    changed_again = journalist_suppress(
        journalist=journalist, reason=SuppressionReason.UNSUBSCRIBED
    )

    journalist.refresh_from_db()
    assert (changed_first, changed_again) == (True, False)
    assert journalist.suppression_reason == SuppressionReason.BOUNCED
    assert journalist.suppressed_at == first


def test_journalist_erase_anonymises_keeps_row_and_hash():
    officer = UserFactory()
    contact_list = ContactListFactory()
    journalist = JournalistFactory(
        email="Erase.Me@media.example", phone="+32470123456", notes="met at fair", city="Gent"
    )
    journalist.lists.add(contact_list)
    received = []

    def listener(sender, journalist, **kwargs):
        received.append((sender, journalist.email))

    journalist_erased.connect(listener)
    try:
        erased = journalist_erase(journalist=journalist, by=officer)
    finally:
        journalist_erased.disconnect(listener)

    erased.refresh_from_db()
    assert received == [(Journalist, "Erase.Me@media.example")]
    assert erased.email == f"erased-{journalist.pk}@erased.invalid"
    assert (erased.first_name, erased.last_name, erased.phone, erased.city, erased.notes) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert erased.erased_by == officer
    assert erased.erased_at is not None
    assert erased.suppression_reason == SuppressionReason.ERASED
    assert erased.outlet_id == journalist.outlet_id
    assert erased.lists.count() == 0
    assert Journalist.objects.count() == 1
    assert Suppression.objects.get().email_hash == email_digest("erase.me@media.example")
    assert str(erased) == f"Journaliste effacé·e n° {journalist.pk}"


def test_journalist_erase_twice_is_refused():
    journalist = JournalistFactory()
    journalist_erase(journalist=journalist, by=None)

    with pytest.raises(ContactError) as raised:
        journalist_erase(journalist=journalist, by=None)

    assert raised.value.code == "already_erased"
    assert Suppression.objects.count() == 1


def test_journalist_export_personal_data_includes_registered_sections():
    contact_list = ContactListFactory(name="Belgique")
    journalist = JournalistFactory(email="me@media.example", first_name="Me")
    journalist.lists.add(contact_list)

    def section(journalist):
        return "test_section", [{"journalist": journalist.email}]

    PERSONAL_DATA_SECTIONS.append(section)
    try:
        data = journalist_export_personal_data(journalist=journalist)
    finally:
        PERSONAL_DATA_SECTIONS.remove(section)

    assert json.loads(json.dumps(data)) == data
    assert data["journalist"]["email"] == "me@media.example"
    assert data["journalist"]["first_name"] == "Me"
    assert data["outlet"]["name"] == journalist.outlet.name
    assert data["lists"] == ["Belgique"]
    assert data["test_section"] == [{"journalist": "me@media.example"}]
