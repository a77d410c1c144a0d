"""Factories for coverage: items and the journalists' personal links."""

import datetime as dt

import factory

from press.coverage.enums import CoverageKind, CoverageSource
from press.coverage.models import CoverageInvitation, CoverageItem
from tests.factories import EventFactory, JournalistFactory


class CoverageItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverageItem

    event = factory.SubFactory(EventFactory)
    url = factory.Sequence(lambda n: f"https://news.example/article-{n}")
    headline = factory.Sequence(lambda n: f"Article {n}")
    outlet_name = "News Example"
    country = "BE"
    published_on = dt.date(2024, 3, 21)
    language = "fr"
    kind = CoverageKind.ONLINE
    source = CoverageSource.STAFF


class CoverageInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverageInvitation

    event = factory.SubFactory(EventFactory)
    journalist = factory.SubFactory(JournalistFactory)
    email = factory.LazyAttribute(lambda i: i.journalist.email)
    language = factory.LazyAttribute(lambda i: i.journalist.language)
