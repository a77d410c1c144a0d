"""The one rule of who may be mailed, and every writer of the media file that uses it."""

import pytest
from django.utils import timezone

from contacts.enums import SuppressionReason
from contacts.journalists import journalist_erase, journalist_suppress
from contacts.models import Journalist
from contacts.suppression import (
    ON_SUPPRESSION_LIST,
    address_suppression,
    journalist_exclusion,
    suppression_inherit,
    suppression_reasons,
)
from tests.factories import JournalistFactory

pytestmark = pytest.mark.django_db


def test_address_suppression_reads_the_list_by_hash_whatever_the_case():
    journalist_erase(journalist=JournalistFactory(email="erased@media.example"), by=None)

    assert address_suppression("  Erased@Media.Example ") == SuppressionReason.ERASED
    assert address_suppression("fine@media.example") is None


def test_journalist_exclusion_for_each_reason():
    bounced = JournalistFactory(email="bounced@media.example")
    journalist_suppress(journalist=bounced, reason=SuppressionReason.BOUNCED)
    erased = journalist_erase(journalist=JournalistFactory(), by=None)
    fine = JournalistFactory(email="fine@media.example")
    # A new record for an erased person's address: only the list knows.
    journalist_erase(journalist=JournalistFactory(email="again@media.example"), by=None)
    again = Journalist(email="again@media.example")

    assert journalist_exclusion(bounced) == SuppressionReason.BOUNCED
    assert journalist_exclusion(erased) == SuppressionReason.ERASED
    assert journalist_exclusion(fine) is None
    assert journalist_exclusion(again) == ON_SUPPRESSION_LIST


def test_suppression_reasons_in_bulk_answers_for_listed_addresses_only():
    journalist_erase(journalist=JournalistFactory(email="gone@media.example"), by=None)

    found = suppression_reasons(["gone@media.example", "here@media.example"])

    assert list(found.values()) == [SuppressionReason.ERASED]


def test_suppression_inherit_keeps_an_earlier_reason():
    journalist_erase(journalist=JournalistFactory(email="x@media.example"), by=None)
    journalist = Journalist(
        email="x@media.example",
        suppressed_at=timezone.now(),
        suppression_reason=SuppressionReason.BOUNCED,
    )

    assert suppression_inherit(journalist, at=timezone.now()) is False
    assert journalist.suppression_reason == SuppressionReason.BOUNCED
