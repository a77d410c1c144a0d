"""Mailing factories: a release mailing in two languages and its deliveries."""

import factory

from press.mailings.enums import DeliveryState, MailingKind
from press.mailings.models import Delivery, Mailing
from tests.factories import ReleaseFactory, ReleaseVersionFactory


def bilingual_release(**kwargs):
    """A published release with a French and an English version."""
    release = ReleaseFactory(**kwargs)
    ReleaseVersionFactory(
        release=release,
        language="fr",
        title="Les villes s'engagent",
        slug=f"villes-{release.pk}",
        standfirst="Chapeau en français.",
        body="<p>Texte <strong>français</strong>.</p><ul><li>Un</li></ul>",
    )
    ReleaseVersionFactory(
        release=release,
        language="en",
        title="Cities commit",
        slug=f"cities-{release.pk}",
        standfirst="English standfirst.",
        body='<p>English <a href="https://example.org/report">text</a>.</p>',
    )
    return release


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mailing
        skip_postgeneration_save = True

    kind = MailingKind.RELEASE
    release = factory.LazyFunction(bilingual_release)
    sender_name = "Press office"
    sender_email = "press@event.example"

    @factory.post_generation
    def lists(self, create, extracted, **kwargs):
        if create and extracted:
            self.lists.set(extracted)

    @factory.post_generation
    def journalists(self, create, extracted, **kwargs):
        if create and extracted:
            self.journalists.set(extracted)


class InvitationMailingFactory(MailingFactory):
    kind = MailingKind.INVITATION
    release = None
    subject = factory.LazyFunction(lambda: {"fr": "Invitation presse", "en": "Press invitation"})
    message = factory.LazyFunction(
        lambda: {"fr": "Venez couvrir la conférence.", "en": "Come and cover the conference."}
    )


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    mailing = factory.SubFactory(MailingFactory)
    journalist = factory.SubFactory("tests.factories.JournalistFactory")
    email = factory.LazyAttribute(lambda d: d.journalist.email if d.journalist else "x@x.example")
    name = factory.LazyAttribute(lambda d: d.journalist.full_name if d.journalist else "")
    language = "fr"
    state = DeliveryState.SENT
    message_id = factory.Sequence(lambda n: f"message-{n}")
