"""Factories for check-in: an event on today, approved requests and their badges."""

import datetime as dt

from django.utils import timezone

from press.accreditation.models import BadgeRequest, BadgeRequestState
from press.badges.models import Badge
from tests.factories import EventFactory
from tests.factories.accreditation import BadgeRequestFactory


def event_today(**kwargs):
    """An event running yesterday, today and tomorrow."""
    today = timezone.localdate()
    return EventFactory(
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1), **kwargs
    )


def approved_request(event, *, days=None, **kwargs) -> BadgeRequest:
    today = timezone.localdate()
    kwargs.setdefault("state", BadgeRequestState.APPROVED)
    return BadgeRequestFactory(
        event=event,
        days=[d.isoformat() for d in (days if days is not None else [today])],
        **kwargs,
    )


def badge_for(badge_request, **kwargs) -> Badge:
    return Badge.objects.create(badge_request=badge_request, **kwargs)
