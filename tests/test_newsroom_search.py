"""The newsroom: search (?q=), topics (?topic=), both on the index and in the feed; the
publication date and summary of every release; the release's own event and contacts;
share links, the copy button and vCards."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from press.mailings.sending import mailing_send
from press.releases.models import Topic
from press.releases.search import versions_matching
from press.releases.text import text_fold
from tests.factories import (
    ContactListFactory,
    EventFactory,
    JournalistFactory,
    ReleaseFactory,
    ReleaseVersionFactory,
)
from tests.factories.mailings import MailingFactory
from tests.factories.releases import PressContactFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def release(title, *, body="<p>Texte.</p>", language="fr", slug=None, topics=(), **kwargs):
    item = ReleaseFactory(**kwargs)
    ReleaseVersionFactory(
        release=item,
        language=language,
        title=title,
        body=body,
        slug=slug or text_fold(title).replace(" ", "-").replace("'", ""),
    )
    item.topics.set(topics)
    return item


def titles(response):
    return [entry["version"].title for entry in response.context["entries"]]


def test_text_fold_removes_accents_and_ligatures():
    assert (
        text_fold("Sécurité, Démocratie & Villes — Œuvre")
        == "securite, democratie & villes — oeuvre"
    )


def test_search_without_accents_finds_accented_words(client):
    release("Sécurité urbaine", body="<p>Les réseaux de villes européennes.</p>")
    release("Mobilité douce")

    response = client.get("/fr/", {"q": "securite"})

    assert titles(response) == ["Sécurité urbaine"]


@postgres_only
def test_french_search_stems_plurals_and_folds_accents(client):
    release("Sécurité urbaine", body="<p>Les réseaux de villes européennes.</p>")
    release("Mobilité douce")

    assert titles(client.get("/fr/", {"q": "reseau"})) == ["Sécurité urbaine"]
    assert titles(client.get("/fr/", {"q": "Européenne"})) == ["Sécurité urbaine"]


@postgres_only
def test_english_search_uses_the_english_configuration(client):
    release("Cities commit", body="<p>Mayors committed to safer streets.</p>", language="en")

    assert titles(client.get("/en/", {"q": "street"})) == ["Cities commit"]
    assert titles(client.get("/en/", {"q": "commitment -mayors"})) == []


def test_search_finds_nothing_for_an_unknown_word(client):
    release("Sécurité urbaine")

    response = client.get("/fr/", {"q": "zzzqqq"})

    assert titles(response) == []
    assert "Aucun communiqué ne correspond à «\u202fzzzqqq\u202f» avec ces filtres." in (
        response.content.decode()
    )


def test_search_never_finds_an_embargoed_release(client):
    release("Sécurité secrète", embargo_until=timezone.now() + dt.timedelta(days=1))
    release("Sécurité publique")

    assert titles(client.get("/fr/", {"q": "securite"})) == ["Sécurité publique"]
    assert list(versions_matching("").values_list("pk", flat=True)) == []


def test_a_too_long_query_is_refused_with_a_message_and_all_releases_shown(client):
    release("Sécurité urbaine")
    release("Mobilité douce")

    response = client.get("/fr/", {"q": "x" * 201})

    assert sorted(titles(response)) == ["Mobilité douce", "Sécurité urbaine"]
    assert "Ce filtre n'est pas disponible\u202f; tous les communiqués sont affichés." in (
        response.content.decode()
    )


def test_topic_filter_on_the_index(client):
    safety = Topic.objects.create(slug="securite", name={"fr": "Sécurité", "en": "Safety"})
    release("Sécurité urbaine", topics=[safety])
    release("Mobilité douce")

    response = client.get("/en/", {"topic": "securite"})

    assert titles(response) == ["Sécurité urbaine"]
    assert '<option value="securite" selected>Safety</option>' in response.content.decode()


def test_an_unknown_topic_shows_every_release_with_a_message(client):
    release("Sécurité urbaine")

    response = client.get("/fr/", {"topic": "nope"})

    assert titles(response) == ["Sécurité urbaine"]
    assert 'role="alert"' in response.content.decode()


def test_the_feed_follows_search_and_topic(client):
    safety = Topic.objects.create(slug="securite", name={"fr": "Sécurité", "en": "Safety"})
    release("Sécurité urbaine", topics=[safety], slug="securite-urbaine")
    release("Mobilité douce", slug="mobilite")

    by_topic = client.get("/fr/communiques/flux.xml", {"topic": "securite"}).content.decode()
    by_query = client.get("/fr/communiques/flux.xml", {"q": "mobilite"}).content.decode()
    index = client.get("/fr/", {"topic": "securite"}).content.decode()

    assert "Sécurité urbaine" in by_topic and "Mobilité douce" not in by_topic
    assert "Mobilité douce" in by_query and "Sécurité urbaine" not in by_query
    assert 'href="/fr/communiques/flux.xml?topic=securite"' in index


def test_index_query_count_does_not_grow_with_releases(client, django_assert_max_num_queries):
    safety = Topic.objects.create(slug="securite", name={"fr": "Sécurité"})
    release("Un", topics=[safety])
    with django_assert_max_num_queries(20) as few:
        client.get("/fr/", {"q": "un"})
    for number in range(8):
        release(f"Un autre {number}", topics=[safety])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/fr/", {"q": "un"})


def test_every_release_shows_its_publication_date_and_a_summary(client):
    published = timezone.make_aware(dt.datetime(2026, 3, 20, 10, 0))
    item = release(
        "Sans chapeau",
        body=(
            "<h2>Titre</h2><p></p><p>Premier <strong>paragraphe</strong> &amp; suite.</p>"
            "<p>Second.</p>"
        ),
        publish_at=published,
        slug="sans-chapeau",
    )

    index = client.get("/fr/").content.decode()
    page = client.get("/fr/communiques/sans-chapeau/").content.decode()

    assert "<p>Premier paragraphe &amp; suite.</p>" in index
    assert '<time datetime="2026-03-20T10:00:00+01:00">20 mars 2026</time>' in page
    assert item.versions.get().summary() == "Premier paragraphe & suite."


def test_release_page_uses_its_own_event_and_its_contacts(client):
    EventFactory(slug="current", name={"fr": "Édition courante"}, press_email="now@event.example")
    own = EventFactory(
        slug="past",
        name={"fr": "Édition 2024"},
        starts_on=dt.date(2024, 3, 20),
        ends_on=dt.date(2024, 3, 22),
        press_email="2024@event.example",
    )
    item = release("Bilan", event=own, slug="bilan")
    item.contacts.add(PressContactFactory(name="Claire Dubois", email="claire@office.example"))

    html = client.get("/fr/communiques/bilan/").content.decode()

    header = html.split('class="site-header"')[1].split("</header>")[0]
    footer = html.split('class="site-footer"')[1]
    assert "Édition 2024" in header and "Édition courante" not in header
    assert "claire@office.example" in footer
    assert "now@event.example" not in footer


def test_release_email_uses_the_release_event(event):
    own = EventFactory(slug="past", name={"fr": "Édition 2024", "en": "2024 edition"})
    item = release("Bilan", event=own, slug="bilan")
    journalist = JournalistFactory(language="fr")
    contact_list = ContactListFactory()
    journalist.lists.add(contact_list)

    mailing_send(mailing=MailingFactory(lists=[contact_list], release=item, event=event))

    html = mail.outbox[0].alternatives[0].content
    assert "Édition 2024" in html
    assert f"Conférence {event.slug}" not in html


def test_release_page_offers_plain_share_links_and_a_copy_button(client):
    release("Bilan", slug="bilan")

    html = client.get("/fr/communiques/bilan/").content.decode()

    assert (
        'href="https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver%2Ffr%2Fcommuniques%2Fbilan%2F"'
        in html
    )
    assert (
        'href="mailto:?subject=Bilan&amp;body=http%3A%2F%2Ftestserver%2Ffr%2Fcommuniques%2Fbilan%2F"'
        in html
    )
    assert 'data-copy-link="http://testserver/fr/communiques/bilan/"' in html
    assert "<script" not in html.split("</head>")[1]
    scripts = [line for line in html.splitlines() if "<script" in line]
    assert scripts == ['  <script src="/static/releases/newsroom.js" defer></script>']


def test_press_contact_vcard(client):
    item = release("Bilan", slug="bilan")
    contact = PressContactFactory(
        name="Dubois, Claire; presse", email="claire@office.example", phone="+32 2 555 01 24"
    )
    item.contacts.add(contact)

    response = client.get(f"/en/contacts/{contact.pk}/vcard/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "FN:Dubois\\, Claire\\; presse\r\n" in card
    assert "EMAIL;TYPE=work:claire@office.example\r\n" in card
    assert "TITLE;LANGUAGE=en:Press officer\r\n" in card
    assert "TEL;TYPE=work,voice;VALUE=uri:tel:+3225550124\r\n" in card
    assert card.endswith("END:VCARD\r\n")


def test_vcard_of_a_contact_of_no_public_release_answers_404(client):
    item = release("Secret", slug="secret", embargo_until=timezone.now() + dt.timedelta(days=1))
    contact = PressContactFactory()
    item.contacts.add(contact)

    assert client.get(f"/en/contacts/{contact.pk}/vcard/").status_code == 404
