"""Factories for tests: plain, predictable rows with no surprises. One module per area
beside this one (tests/factories/mailings.py …); the core rows live here."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from contacts.models import ContactList, Journalist, Outlet
from press.events.models import Event
from press.releases.enums import ReleaseStatus
from press.releases.models import Release, ReleaseVersion

# Every staff user the factories make logs in with this password.
STAFF_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@office.example")
    password = factory.django.Password(STAFF_PASSWORD)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.LazyAttribute(
        lambda e: {"fr": f"Conférence {e.slug}", "en": f"Conference {e.slug}"}
    )
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda e: e.starts_on + dt.timedelta(days=2))
    venue = "The Square"
    city = "Bruxelles"
    country = "BE"
    press_email = "press@event.example"
    accreditation_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    accreditation_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    press_capacity = 100
    per_outlet_limit = 3


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    kind = "newspaper"
    country = "BE"


class ContactListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactList

    name = factory.Sequence(lambda n: f"List {n}")


class JournalistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journalist

    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    email = factory.Sequence(lambda n: f"journalist{n}@media.example")
    outlet = factory.SubFactory(OutletFactory)
    country = "BE"
    language = "fr"


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    status = ReleaseStatus.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


class ReleaseVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReleaseVersion

    release = factory.SubFactory(ReleaseFactory)
    language = "fr"
    title = factory.Sequence(lambda n: f"Communiqué {n}")
    slug = factory.Sequence(lambda n: f"communique-{n}")
    body = "<p>Texte.</p>"
