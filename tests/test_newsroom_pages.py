import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from press import permissions
from press.releases.enums import ReleaseStatus
from tests.factories import EventFactory, ReleaseFactory, ReleaseVersionFactory
from tests.factories.releases import (
    AttachmentFactory,
    BoilerplateFactory,
    PressContactFactory,
    photo_file,
)

pytestmark = pytest.mark.django_db


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def bilingual(*, fr="Sommet de Bruxelles", en="Brussels summit", slug="sommet", **kwargs):
    release = ReleaseFactory(**kwargs)
    ReleaseVersionFactory(release=release, language="fr", title=fr, slug=slug)
    ReleaseVersionFactory(release=release, language="en", title=en, slug=f"{slug}-en")
    return release


def test_newsroom_index_is_the_root_of_each_language():
    assert url("newsroom:index", "fr") == "/fr/"
    assert url("newsroom:index", "en") == "/en/"


def test_release_version_url_follows_its_language():
    release = bilingual()
    french, english = release.versions.order_by("language").reverse()

    with translation.override("en"):
        assert french.get_absolute_url() == url("newsroom:release", "fr", slug="sommet")
    assert english.get_absolute_url() == url("newsroom:release", "en", slug="sommet-en")
    assert french.get_absolute_url().startswith("/fr/")


def test_newsroom_index_lists_only_public_releases_newest_first(client):
    now = timezone.now()
    ReleaseVersionFactory(
        title="Ancien", release=ReleaseFactory(publish_at=now - dt.timedelta(days=9))
    )
    ReleaseVersionFactory(
        title="Récent", release=ReleaseFactory(publish_at=now - dt.timedelta(days=1))
    )
    ReleaseVersionFactory(
        title="Brouillon", release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    )
    ReleaseVersionFactory(
        title="Programmé",
        release=ReleaseFactory(
            status=ReleaseStatus.SCHEDULED, publish_at=now + dt.timedelta(hours=1)
        ),
    )
    ReleaseVersionFactory(
        title="Sous embargo", release=ReleaseFactory(embargo_until=now + dt.timedelta(hours=1))
    )
    ReleaseVersionFactory(title="Archivé", release=ReleaseFactory(status=ReleaseStatus.ARCHIVED))

    response = client.get("/fr/")

    titles = [entry["version"].title for entry in response.context["entries"]]
    assert titles == ["Récent", "Ancien"]


def test_newsroom_index_offers_a_french_only_release_to_english_readers(client):
    ReleaseVersionFactory(title="Accréditations ouvertes", slug="accreditations")

    html = client.get("/en/").content.decode()

    assert "Accréditations ouvertes" in html
    assert 'href="/fr/' in html
    assert "In French only" in html


@pytest.mark.parametrize("count", [1, 30])
def test_newsroom_index_queries_do_not_grow_with_releases(client, django_assert_num_queries, count):
    event = EventFactory()
    for number in range(count):
        bilingual(slug=f"r{number}", event=event)
        if number == 0:
            AttachmentFactory(release=event.releases.get())

    with django_assert_num_queries(8):
        response = client.get("/fr/")

    assert response.status_code == 200
    assert len(response.context["entries"]) == min(count, 20)


def test_newsroom_index_paginates(client):
    for number in range(25):
        ReleaseVersionFactory(
            release=ReleaseFactory(publish_at=timezone.now() - dt.timedelta(hours=number + 1)),
            title=f"N{number}",
        )

    first = client.get("/fr/")
    second = client.get("/fr/?page=2")
    beyond = client.get("/fr/?page=99")

    assert len(first.context["entries"]) == 20
    assert [e["version"].title for e in second.context["entries"]] == [
        "N20",
        "N21",
        "N22",
        "N23",
        "N24",
    ]
    assert beyond.context["page"].number == 2


def test_newsroom_index_filters_by_event_and_year(client):
    summit = EventFactory(slug="summit-2024")
    other = EventFactory(slug="summit-2021")
    ReleaseVersionFactory(
        title="A",
        release=ReleaseFactory(event=summit, publish_at=dt.datetime(2024, 2, 1, 10, tzinfo=dt.UTC)),
    )
    ReleaseVersionFactory(
        title="B",
        release=ReleaseFactory(event=other, publish_at=dt.datetime(2021, 2, 1, 10, tzinfo=dt.UTC)),
    )

    by_event = client.get("/fr/", {"event": "summit-2021"})
    by_year = client.get("/fr/", {"year": "2024"})

    assert [e["version"].title for e in by_event.context["entries"]] == ["B"]
    assert [e["version"].title for e in by_year.context["entries"]] == ["A"]
    assert by_year.context["form"].fields["year"].choices[1:] == [(2024, 2024), (2021, 2021)]


def test_newsroom_index_bad_filter_says_so_and_shows_everything(client):
    ReleaseVersionFactory(title="A")

    response = client.get("/en/", {"year": "1066", "event": "<script>"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "This filter is not available; all releases are shown." in html
    assert "<script>" not in html
    assert [e["version"].title for e in response.context["entries"]] == ["A"]


def test_release_page_shows_the_version_with_its_surroundings(client):
    event = EventFactory()
    release = bilingual(
        event=event,
        dateline_place="Bruxelles",
        dateline_date=dt.date(2024, 3, 20),
        boilerplate=BoilerplateFactory(),
    )
    release.contacts.add(PressContactFactory(name="Claire Dumont", phone="+32 2 555 01 24"))
    AttachmentFactory(release=release, title={"fr": "Programme", "en": "Programme"})
    AttachmentFactory(release=release, file=photo_file("place.jpg"), credit={"fr": "Jean Photo"})
    version = release.versions.get(language="en")
    version.standfirst = "Eight hundred mayors."
    version.body = "<p>The <strong>conference</strong> opens.</p>"
    version.save()

    response = client.get("/en/releases/sommet-en/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Brussels summit</h1>" in html
    assert "<p>The <strong>conference</strong> opens.</p>" in html
    assert "BRUXELLES, 20 March 2024" in html
    assert "Claire Dumont</strong>, Press officer" in html
    assert 'href="tel:+3225550124"' in html
    assert "The network brings cities together." in html
    assert "Photo: Jean Photo" in html
    assert html.count('href="/en/files/') == 2
    assert f'href="/en/releases/{release.pk}/media-kit/"' in html
    assert '<link rel="canonical" href="http://testserver/en/releases/sommet-en/">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/' in html
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/releases/sommet-en/">'
        in html
    )
    assert '<meta property="og:title" content="Brussels summit">' in html
    assert '<meta property="og:description" content="Eight hundred mayors.">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'hreflang="fr" lang="fr">' in html


def test_release_page_escapes_plain_text_fields(client):
    ReleaseVersionFactory(
        language="en", slug="x", title="<script>alert(1)</script>", standfirst='"><img onerror=x>'
    )

    html = client.get("/en/releases/x/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img onerror" not in html


def test_release_page_with_another_languages_slug_redirects_to_this_language(client):
    bilingual()

    response = client.get(url("newsroom:release", "en", slug="sommet"))

    assert response.status_code == 302
    assert response["Location"] == url("newsroom:release", "en", slug="sommet-en")


def test_release_page_missing_in_this_language_offers_the_other(client):
    ReleaseVersionFactory(language="fr", slug="accreditations", title="Accréditations ouvertes")

    response = client.get(url("newsroom:release", "en", slug="accreditations"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This release is not available in English" in html
    assert (
        f'<a href="{url("newsroom:release", "fr", slug="accreditations")}" hreflang="fr" '
        'lang="fr">Accréditations ouvertes</a>'
    ) in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    "release_kwargs",
    [
        {"status": ReleaseStatus.DRAFT, "publish_at": None},
        {"status": ReleaseStatus.ARCHIVED},
        {"status": ReleaseStatus.SCHEDULED, "publish_at": "future"},
        {"embargo_until": "future"},
    ],
)
def test_release_page_not_public_is_not_found(client, release_kwargs):
    future = timezone.now() + dt.timedelta(days=1)
    kwargs = {key: future if value == "future" else value for key, value in release_kwargs.items()}
    ReleaseVersionFactory(release=ReleaseFactory(**kwargs), slug="secret", language="fr")

    assert client.get(url("newsroom:release", "fr", slug="secret")).status_code == 404
    assert client.get(url("newsroom:release", "en", slug="secret")).status_code == 404


def test_release_page_unknown_slug_is_not_found(client):
    assert client.get(url("newsroom:release", "en", slug="nothing-here")).status_code == 404


def embargoed_release():
    release = ReleaseFactory(embargo_until=timezone.now() + dt.timedelta(days=2))
    ReleaseVersionFactory(release=release, language="en", slug="secret", title="Declaration")
    return release


def test_release_preview_shows_an_embargoed_release_to_press_officers(officer_client):
    release = embargoed_release()

    response = officer_client.get(f"/admin/releases/release/{release.pk}/preview/en/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Declaration</h1>" in html
    assert "EMBARGO — not for publication before" in html
    assert "Preview: this is how the page will look. It is not public yet." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_release_preview_is_refused_to_visitors_and_staff_without_permission(client, staff_user):
    release = embargoed_release()
    preview = f"/admin/releases/release/{release.pk}/preview/en/"

    anonymous = client.get(preview)
    client.force_login(staff_user(permissions.CHECKIN_DESK))
    desk = client.get(preview)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert desk.status_code == 403


def test_release_preview_of_a_missing_language_is_not_found(officer_client):
    release = embargoed_release()

    assert (
        officer_client.get(f"/admin/releases/release/{release.pk}/preview/fr/").status_code == 404
    )
    assert (
        officer_client.get(f"/admin/releases/release/{release.pk}/preview/de/").status_code == 404
    )


def test_attachment_download_keeps_the_original_file_and_name(client):
    attachment = AttachmentFactory(file=photo_file("Place Flagey.jpg"))
    with attachment.file.open("rb") as stored:
        original = stored.read()

    response = client.get(url("newsroom:attachment", "fr", pk=attachment.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Place_Flagey.jpg"'
    assert b"".join(response.streaming_content) == original


def test_attachment_of_an_embargoed_release_is_hidden_from_the_public(client, officer):
    attachment = AttachmentFactory(release=embargoed_release())
    download = url("newsroom:attachment", "en", pk=attachment.pk)

    assert client.get(download).status_code == 404
    client.force_login(officer)
    response = client.get(download)
    assert response.status_code == 200
    response.close()


def test_media_kit_zips_every_file_of_the_release(client):
    release = bilingual()
    AttachmentFactory(release=release)
    AttachmentFactory(release=release, file=photo_file("place.jpg"))

    response = client.get(url("newsroom:media_kit", "en", pk=release.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="brussels-summit-media-kit.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as kit:
        assert kit.namelist() == ["dossier.pdf", "place.jpg"]


def test_media_kit_of_a_draft_is_not_found(client):
    release = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    AttachmentFactory(release=release)

    assert client.get(url("newsroom:media_kit", "en", pk=release.pk)).status_code == 404


def test_newsroom_index_cards_show_the_thumbnail_not_the_full_image(client):
    release = ReleaseFactory(featured_image=photo_file("une.jpg", size=(1600, 900)))
    ReleaseVersionFactory(release=release, language="en", slug="une")

    html = client.get("/en/").content.decode()

    assert f'class="release-card-image" src="{release.featured_thumbnail.url}"' in html
    assert release.featured_image.url not in html


def test_release_page_prints_its_source_address(client):
    ReleaseVersionFactory(language="en", slug="summit")

    html = client.get("/en/releases/summit/").content.decode()

    assert '<p class="print-only source">Source: http://testserver/en/releases/summit/</p>' in html
