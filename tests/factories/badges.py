"""Factories for badges: an active badge of an approved request."""

import factory

from press.accreditation.models import BadgeRequestState
from press.badges.enums import BadgeState
from press.badges.models import Badge, BadgePrint
from tests.factories.accreditation import BadgeRequestFactory


class BadgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Badge

    badge_request = factory.SubFactory(BadgeRequestFactory, state=BadgeRequestState.APPROVED)
    state = BadgeState.ACTIVE


class BadgePrintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgePrint

    badge = factory.SubFactory(BadgeFactory)
