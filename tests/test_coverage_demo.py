"""The demo's coverage of the Brussels 2024 edition."""

import io

import pytest
from django.core.management import call_command

from press.coverage.enums import CoverageKind, CoverageSource
from press.coverage.models import CoverageInvitation, CoverageItem

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_coverage_across_countries_and_kinds_once():
    call_command("seed_demo", stdout=io.StringIO())
    first = CoverageItem.objects.count()
    call_command("seed_demo", stdout=io.StringIO())

    items = CoverageItem.objects.filter(event__slug="brussels-2024")
    assert CoverageItem.objects.count() == first == items.count()
    assert items.count() >= 30
    assert items.values("country").distinct().count() >= 10
    assert set(items.values_list("kind", flat=True)) == set(CoverageKind.values)
    submitted = items.filter(source=CoverageSource.JOURNALIST)
    assert submitted.count() >= 5
    assert not submitted.filter(journalist__isnull=True).exists()
    assert CoverageInvitation.objects.filter(event__slug="brussels-2024").exists()
