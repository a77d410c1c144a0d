"""Subscribing to the newsroom (double opt-in), the preference page, and the rule that a
confirmed subscription is the only way back for a suppressed address."""

import datetime as dt

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from contacts.enums import ConsentBasis, ContactSource, SuppressionReason
from contacts.journalists import journalist_erase, journalist_suppress, journalist_upsert
from contacts.models import Journalist, Subscription, Suppression, email_digest
from contacts.subscriptions import CONSENT_VERSION, subscription_confirm
from press.mailings.enums import MailingKind
from press.mailings.recipients import (
    NO_INVITATIONS,
    NO_RELEASES,
    OTHER_TOPICS,
    mailing_recipients,
)
from press.releases.models import Topic
from tests.factories import JournalistFactory
from tests.factories.mailings import DeliveryFactory, InvitationMailingFactory, MailingFactory

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def topics(db):
    return {
        "security": Topic.objects.create(
            slug="security", name={"fr": "Sécurité", "en": "Security"}
        ),
        "mobility": Topic.objects.create(
            slug="mobility", name={"fr": "Mobilité", "en": "Mobility"}
        ),
    }


def form_data(**changes):
    data = {
        "email": "Ines.Duarte@Publico.example",
        "first_name": "Inês",
        "last_name": "Duarte",
        "outlet_name": "Público",
        "wants_releases": "on",
        "wants_invitations": "on",
        "language": "fr",
        "consent": "on",
        "homepage": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def subscribe(client, site="en", **changes):
    """Post the form on the site in `site`'s language, running what it queues on commit
    (the confirmation email)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url("newsroom:subscribe", site), form_data(**changes))


# The form


def test_subscribe_page_is_linked_from_the_newsroom_and_labelled_in_both_languages(client, event):
    for language, label, heading in (
        ("fr", "S’abonner", "Abonnez-vous à notre salle de presse"),
        ("en", "Subscribe", "Subscribe to our newsroom"),
    ):
        index = client.get(url("newsroom:index", language)).content.decode()
        assert f'href="{url("newsroom:subscribe", language)}"' in index
        page = client.get(url("newsroom:subscribe", language)).content.decode()
        assert heading in page
        assert 'type="email"' in page and 'autocomplete="email"' in page
        assert label in index or language == "fr"


def test_a_valid_form_records_a_pending_subscription_and_sends_the_confirmation(
    client, event, topics
):
    response = subscribe(client, topics=[topics["security"].pk])

    assert response.status_code == 302
    assert response["Location"] == url("newsroom:subscribe_sent")
    subscription = Subscription.objects.get()
    assert subscription.email == "ines.duarte@publico.example"
    assert subscription.topic_slugs == ["security"]
    assert subscription.consent_version == CONSENT_VERSION
    assert subscription.confirmed_at is None
    assert len(subscription.token) >= 43  # 256 random bits, base64url
    # Nothing in the media file before the confirmation.
    assert not Journalist.objects.exists()
    [message] = mail.outbox
    assert message.to == ["ines.duarte@publico.example"]
    assert "Confirmez votre abonnement" in message.subject  # the chosen language
    assert subscription.token in message.body


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": ""}, "email", "Enter your email address: the confirmation is sent there."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address, such as"),
        ({"consent": None}, "consent", "Tick the box to agree"),
        (
            {"wants_releases": None, "wants_invitations": None},
            "wants_releases",
            "Choose at least one kind of email to subscribe to.",
        ),
        ({"language": "de"}, "language", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, event, changes, field, message
):
    response = subscribe(client, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert response.content.decode().count("<title>Error") == 1
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_the_error_summary_names_the_consent_in_a_word(client, event):
    response = subscribe(client, site="fr", consent=None)

    body = response.content.decode()
    summary = body.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "Consentement\u202f: Cochez la case" in summary
    assert "conserve mon nom" not in summary  # the label's sentence, shown by the box only
    assert body.count("Cochez la case pour donner votre accord") == 2


def test_the_error_summary_links_a_list_of_boxes_to_its_first_box(client, event, topics):
    response = subscribe(client, topics=["999999"], language="de")

    summary = response.content.decode().split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_topics_0"' in summary
    assert 'href="#id_language"' in summary
    assert 'href="#"' not in summary


def test_bad_input_message_is_in_french_on_the_french_form(client, event):
    response = subscribe(client, site="fr", consent=None)

    assert "Cochez la case pour donner votre accord" in response.content.decode()


def test_the_honeypot_refuses_robots(client, event):
    response = subscribe(client, homepage="https://spam.example")

    assert response.status_code == 200
    assert "This request looks automated and was not sent." in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_rate_limit_refuses_a_flood_from_one_address(client, event, settings):
    settings.NEWSROOM_SUBSCRIPTIONS_PER_HOUR = 2
    for number in range(2):
        assert subscribe(client, email=f"a{number}@x.example").status_code == 302

    response = subscribe(client, email="a3@x.example")

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert Subscription.objects.count() == 2


def test_known_and_unknown_addresses_get_the_same_answer(client, event):
    JournalistFactory(email="known@outlet.example")

    known = subscribe(client, email="known@outlet.example")
    unknown = subscribe(client, email="unknown@outlet.example")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_asking_again_soon_sends_no_second_email(client, event):
    subscribe(client)
    subscribe(client, email="INES.DUARTE@publico.example")

    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 1


def test_asking_again_later_sends_a_new_email(client, event):
    subscribe(client)
    Subscription.objects.update(created_at=timezone.now() - dt.timedelta(minutes=16))

    subscribe(client)

    assert len(mail.outbox) == 2


# Confirmation


def test_confirmation_page_asks_first_then_creates_the_journalist(client, event, topics):
    subscribe(client, topics=[topics["mobility"].pk])
    subscription = Subscription.objects.get()
    link = url("newsroom:subscribe_confirm", "fr", token=subscription.token)

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer mon abonnement" in page.content.decode()
    assert not Journalist.objects.exists()  # a mail scanner following the link changes nothing

    done = client.post(link)

    assert done.status_code == 200
    assert "Vous êtes abonné" in done.content.decode()
    journalist = Journalist.objects.get()
    assert journalist.email == "ines.duarte@publico.example"
    assert (journalist.first_name, journalist.last_name) == ("Inês", "Duarte")
    assert journalist.source == ContactSource.SUBSCRIPTION
    assert journalist.consent_basis == ConsentBasis.CONSENT
    assert journalist.consent_at is not None and journalist.subscribed_at is not None
    assert journalist.language == "fr"
    assert [topic.slug for topic in journalist.topics.all()] == ["mobility"]
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None and subscription.journalist == journalist


def test_confirming_twice_changes_nothing_the_second_time(client, event):
    subscribe(client)
    subscription = Subscription.objects.get()
    first = subscription_confirm(token=subscription.token)

    again = subscription_confirm(token=subscription.token)

    assert again.confirmed_at == first.confirmed_at
    assert Journalist.objects.count() == 1


def test_an_unknown_link_is_404_and_subscribes_nobody(client, event):
    response = client.post(url("newsroom:subscribe_confirm", token="x" * 43))

    assert response.status_code == 404
    assert "This confirmation link is not valid" in response.content.decode()
    assert not Journalist.objects.exists()


def test_an_expired_link_says_so_and_offers_to_subscribe_again(client, event):
    subscribe(client)
    subscription = Subscription.objects.get()
    Subscription.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    link = url("newsroom:subscribe_confirm", token=subscription.token)

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert "This confirmation link is too old" in response.content.decode()
        assert url("newsroom:subscribe") in response.content.decode()
    assert not Journalist.objects.exists()


def test_a_known_journalist_keeps_the_offices_data(client, event):
    journalist = JournalistFactory(
        email="ines.duarte@publico.example", first_name="Inês", last_name="Duarte Silva"
    )

    subscribe(client, last_name="D.", wants_invitations=None)
    subscription_confirm(token=Subscription.objects.get().token)

    journalist.refresh_from_db()
    assert journalist.last_name == "Duarte Silva"
    assert journalist.wants_releases and not journalist.wants_invitations
    assert journalist.subscribed_at is not None


def test_a_known_outlet_is_linked_and_none_is_created(client, event):
    from tests.factories import OutletFactory

    outlet = OutletFactory(name="Público")

    subscribe(client, outlet_name="público")
    subscription_confirm(token=Subscription.objects.get().token)
    assert Journalist.objects.get().outlet == outlet

    subscribe(client, email="other@x.example", outlet_name="Unknown Weekly")
    subscription_confirm(token=Subscription.objects.get(email="other@x.example").token)
    assert Journalist.objects.get(email="other@x.example").outlet is None


# Who may be mailed again


@pytest.mark.parametrize(
    "reason",
    [SuppressionReason.UNSUBSCRIBED, SuppressionReason.BOUNCED, SuppressionReason.COMPLAINED],
)
def test_a_confirmed_subscription_makes_a_suppressed_address_mailable(client, event, reason):
    journalist = JournalistFactory(email="ines.duarte@publico.example")
    journalist_suppress(journalist=journalist, reason=reason, at=timezone.now())

    subscribe(client)
    subscription_confirm(token=Subscription.objects.get().token)

    journalist.refresh_from_db()
    assert journalist.suppressed_at is None and journalist.suppression_reason == ""
    assert Journalist.objects.mailable().filter(pk=journalist.pk).exists()


def test_a_confirmed_subscription_brings_back_an_erased_person_as_a_new_record(
    client, event, officer
):
    erased = JournalistFactory(email="ines.duarte@publico.example")
    journalist_erase(journalist=erased, by=officer)
    assert Suppression.objects.filter(email_hash=email_digest("ines.duarte@publico.example"))

    subscribe(client)
    subscription_confirm(token=Subscription.objects.get().token)

    new = Journalist.objects.get(email="ines.duarte@publico.example")
    assert new.pk != erased.pk and new.suppressed_at is None
    assert not Suppression.objects.filter(email_hash=email_digest(new.email)).exists()
    erased.refresh_from_db()
    assert erased.erased_at is not None and erased.first_name == ""


def test_an_unconfirmed_subscription_lifts_nothing(client, event):
    journalist = JournalistFactory(email="ines.duarte@publico.example")
    journalist_suppress(
        journalist=journalist, reason=SuppressionReason.UNSUBSCRIBED, at=timezone.now()
    )

    subscribe(client)

    journalist.refresh_from_db()
    assert journalist.suppressed_at is not None


def test_an_accreditation_or_import_upsert_never_lifts_a_suppression(event):
    journalist = JournalistFactory(email="ines.duarte@publico.example")
    journalist_suppress(
        journalist=journalist, reason=SuppressionReason.UNSUBSCRIBED, at=timezone.now()
    )

    journalist_upsert(
        email="ines.duarte@publico.example",
        source=ContactSource.ACCREDITATION,
        consent_basis=ConsentBasis.CONTRACT,
        values={"first_name": "Inês"},
    )

    journalist.refresh_from_db()
    assert journalist.suppression_reason == SuppressionReason.UNSUBSCRIBED


def test_the_office_cannot_lift_a_suppression_in_the_admin(officer_client, event):
    journalist = JournalistFactory(email="lea@media.example")
    journalist_suppress(
        journalist=journalist, reason=SuppressionReason.UNSUBSCRIBED, at=timezone.now()
    )
    page = officer_client.get(f"/admin/contacts/journalist/{journalist.pk}/change/")

    form = page.context["adminform"].form
    assert "suppressed_at" not in form.fields and "suppression_reason" not in form.fields


def test_subscriptions_are_read_only_in_the_admin(officer_client, event):
    subscribe(officer_client)
    subscription = Subscription.objects.get()

    assert officer_client.get("/admin/contacts/subscription/").status_code == 200
    assert officer_client.get("/admin/contacts/subscription/add/").status_code == 403
    page = officer_client.get(f"/admin/contacts/subscription/{subscription.pk}/change/")
    assert page.status_code == 200
    assert subscription.token not in page.content.decode()
    assert (
        officer_client.post(
            f"/admin/contacts/subscription/{subscription.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )


# The preference page


@pytest.fixture
def delivery(event):
    return DeliveryFactory(
        mailing__event=event, journalist=JournalistFactory(email="lea@media.example", language="en")
    )


def preferences_url(delivery, language="en"):
    return url("mailings:unsubscribe", language, token=delivery.unsubscribe_token)


def test_the_preference_page_shows_the_choices(client, delivery, topics):
    delivery.journalist.topics.set([topics["security"]])

    page = client.get(preferences_url(delivery))

    html = page.content.decode()
    assert "Your email preferences" in html
    assert "Save my choices" in html and "Unsubscribe from everything" in html
    form = page.context["form"]
    assert form.initial["wants_releases"] is True
    assert form.initial["topics"] == [topics["security"]]


def test_saving_preferences_changes_them_and_keeps_the_journalist_mailable(
    client, delivery, topics
):
    response = client.post(
        preferences_url(delivery, "fr"),
        {
            "action": "preferences",
            "wants_releases": "on",
            "language": "fr",
            "topics": [topics["mobility"].pk],
        },
    )

    assert response.status_code == 200
    assert "Vos choix sont enregistrés." in response.content.decode()
    journalist = Journalist.objects.get(pk=delivery.journalist.pk)
    assert journalist.wants_releases and not journalist.wants_invitations
    assert journalist.language == "fr"
    assert list(journalist.topics.all()) == [topics["mobility"]]
    assert journalist.suppressed_at is None


def test_bad_preferences_are_refused_and_change_nothing(client, delivery):
    response = client.post(
        preferences_url(delivery),
        {"action": "preferences", "wants_releases": "on", "language": "xx"},
    )

    assert "Select a valid choice." in response.content.decode()
    journalist = Journalist.objects.get(pk=delivery.journalist.pk)
    assert journalist.language == "en" and journalist.wants_invitations


def test_preferences_cannot_bring_back_an_unsubscribed_journalist(client, delivery):
    journalist_suppress(
        journalist=delivery.journalist, reason=SuppressionReason.UNSUBSCRIBED, at=timezone.now()
    )

    response = client.post(
        preferences_url(delivery),
        {"action": "preferences", "wants_releases": "on", "language": "en"},
    )

    html = response.content.decode()
    assert "is already unsubscribed" in html
    assert url("newsroom:subscribe") in html
    journalist = Journalist.objects.get(pk=delivery.journalist.pk)
    assert journalist.suppressed_at is not None


def test_the_unsubscribe_button_still_unsubscribes(client, delivery):
    client.post(preferences_url(delivery))

    journalist = Journalist.objects.get(pk=delivery.journalist.pk)
    assert journalist.suppression_reason == SuppressionReason.UNSUBSCRIBED


def test_release_and_invitation_emails_link_to_the_preference_page(event):
    from press.mailings.rendering import mailing_preview

    mailing = MailingFactory(event=event)
    rendered = mailing_preview(mailing=mailing, language="en")
    assert "Your choices or unsubscribe" in rendered.text


# Mailings honour the choices


def test_release_mailings_honour_kinds_and_topics(event, topics):
    from tests.factories import ContactListFactory

    press_list = ContactListFactory()
    everyone = JournalistFactory(email="all@x.example")
    no_releases = JournalistFactory(email="none@x.example", wants_releases=False)
    on_security = JournalistFactory(email="sec@x.example")
    on_security.topics.set([topics["security"]])
    on_mobility = JournalistFactory(email="mob@x.example")
    on_mobility.topics.set([topics["mobility"]])
    press_list.journalists.set([everyone, no_releases, on_security, on_mobility])
    mailing = MailingFactory(event=event, lists=[press_list])
    mailing.release.topics.set([topics["security"]])

    summary = mailing_recipients(mailing=mailing)

    assert {r.email for r in summary.recipients} == {"all@x.example", "sec@x.example"}
    assert summary.excluded == {NO_RELEASES: 1, OTHER_TOPICS: 1}


def test_a_release_without_topics_reaches_those_who_chose_topics(event, topics):
    on_security = JournalistFactory(email="sec@x.example")
    on_security.topics.set([topics["security"]])
    mailing = MailingFactory(event=event, journalists=[on_security])

    assert [r.email for r in mailing_recipients(mailing=mailing).recipients] == ["sec@x.example"]


def test_invitations_honour_their_own_choice_only(event, topics):
    no_invitations = JournalistFactory(email="a@x.example", wants_invitations=False)
    no_releases = JournalistFactory(email="b@x.example", wants_releases=False)
    no_releases.topics.set([topics["security"]])
    mailing = InvitationMailingFactory(event=event, journalists=[no_invitations, no_releases])
    assert mailing.kind == MailingKind.INVITATION

    summary = mailing_recipients(mailing=mailing)

    assert [r.email for r in summary.recipients] == ["b@x.example"]
    assert summary.excluded == {NO_INVITATIONS: 1}


def test_a_mailing_to_subscribers_reaches_confirmed_subscribers_in_their_language(client, event):
    subscribe(client, email="fr@x.example", language="fr")
    subscribe(client, email="en@x.example", language="en")
    subscribe(client, email="pending@x.example")
    for subscription in Subscription.objects.exclude(email="pending@x.example"):
        subscription_confirm(token=subscription.token)
    JournalistFactory(email="not-subscribed@x.example")
    mailing = MailingFactory(event=event, subscribers=True)

    summary = mailing_recipients(mailing=mailing)

    assert {(r.email, r.language) for r in summary.recipients} == {
        ("fr@x.example", "fr"),
        ("en@x.example", "en"),
    }
