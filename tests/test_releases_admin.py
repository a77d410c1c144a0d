import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from press import permissions
from press.releases.enums import ReleaseStatus
from press.releases.models import Attachment, Release, ReleaseStatusChange, ReleaseVersion
from tests.factories import ReleaseFactory, ReleaseVersionFactory
from tests.factories.releases import image_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/releases/release/add/"


@pytest.fixture(autouse=True)
def _english_back_office(client):
    """The messages asserted below are the English ones, whatever the catalogue holds."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def release_form(*, versions, attachments=()):
    data = {
        "event": "",
        "dateline_place": "Bruxelles",
        "dateline_date": "2024-03-20",
        "embargo_until_0": "",
        "embargo_until_1": "",
        "boilerplate": "",
        "versions-TOTAL_FORMS": str(len(versions)),
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "1",
        "versions-MAX_NUM_FORMS": "2",
        "attachments-TOTAL_FORMS": str(len(attachments)),
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    for index, version in enumerate(versions):
        for field, value in version.items():
            data[f"versions-{index}-{field}"] = value
    for index, upload in enumerate(attachments):
        data[f"attachments-{index}-file"] = upload
        data[f"attachments-{index}-title_0"] = "Fichier"
        data[f"attachments-{index}-title_1"] = "File"
        data[f"attachments-{index}-order"] = "0"
    return data


FRENCH = {
    "language": "fr",
    "title": "Sommet de Bruxelles",
    "standfirst": "800 élus attendus.",
    "body": '<p onmouseover="x()">Texte <script>alert(1)</script>'
    '<a href="javascript:alert(1)">lien</a></p><iframe src="https://e.example"></iframe>',
    "slug": "",
}
ENGLISH = {
    "language": "en",
    "title": "Brussels summit",
    "standfirst": "",
    "body": "<h2>Programme</h2><p>Text.</p>",
    "slug": "brussels",
}


def test_release_add_page_uses_the_rich_text_editor(officer_client):
    html = officer_client.get(ADD_URL).content.decode()

    assert 'data-type="ckeditortype"' in html
    assert "ckeditor/ckeditor.js" in html
    assert 'name="versions-0-language"' in html
    assert '<option value="fr" selected>' in html
    assert '<option value="en" selected>' in html


def test_release_added_with_two_versions_is_sanitised_and_recorded(officer_client, officer):
    response = officer_client.post(ADD_URL, release_form(versions=[FRENCH, ENGLISH]))

    assert response.status_code == 302
    release = Release.objects.get()
    assert (release.status, release.created_by, release.updated_by) == (
        ReleaseStatus.DRAFT,
        officer,
        officer,
    )
    french = release.versions.get(language="fr")
    assert french.slug == "sommet-de-bruxelles"
    assert french.body == '<p>Texte <a rel="noopener noreferrer">lien</a></p>'
    assert release.versions.get(language="en").body == "<h2>Programme</h2><p>Text.</p>"


def test_release_added_in_one_language_leaves_the_other_empty(officer_client):
    untouched_english = {"language": "en", "title": "", "standfirst": "", "body": "", "slug": ""}

    response = officer_client.post(ADD_URL, release_form(versions=[FRENCH, untouched_english]))

    assert response.status_code == 302
    assert list(ReleaseVersion.objects.values_list("language", flat=True)) == ["fr"]


def test_release_without_any_version_is_refused(officer_client):
    empty = {"language": "fr", "title": "", "standfirst": "", "body": "", "slug": ""}

    response = officer_client.post(ADD_URL, release_form(versions=[empty]))

    assert response.status_code == 200
    assert Release.objects.count() == 0
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"title": ["This field is required."]}
    ]


def test_release_with_the_same_language_twice_is_refused(officer_client):
    response = officer_client.post(
        ADD_URL, release_form(versions=[FRENCH, {**FRENCH, "title": "Autre", "slug": "autre"}])
    )

    assert response.status_code == 200
    assert Release.objects.count() == 0
    assert (
        "Please correct the duplicate data for release and language"
        in (response.content.decode().replace("&#x27;", "'"))
        or response.context["inline_admin_formsets"][0].formset.non_form_errors()
    )


def test_release_with_a_slug_taken_in_its_language_is_refused(officer_client):
    ReleaseVersionFactory(language="en", slug="brussels")

    response = officer_client.post(ADD_URL, release_form(versions=[FRENCH, ENGLISH]))

    assert response.status_code == 200
    assert Release.objects.count() == 1
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[1]["__all__"] == ["Language version with this Language and Slug already exists."]


def test_release_attachment_faked_by_name_is_refused(officer_client):
    fake = SimpleUploadedFile("programme.pdf", b"<html><script>alert(1)</script></html>")

    response = officer_client.post(ADD_URL, release_form(versions=[FRENCH], attachments=[fake]))

    assert response.status_code == 200
    assert Release.objects.count() == 0
    assert Attachment.objects.count() == 0
    errors = response.context["inline_admin_formsets"][1].formset.errors
    assert errors[0]["file"] == [
        "Only PDF documents and images (JPEG, PNG, WebP or GIF) can be attached; "
        "this file is neither."
    ]


def test_release_attachment_photo_is_stored_with_a_thumbnail(officer_client):
    photo = SimpleUploadedFile("place.png", image_bytes(format="PNG"), content_type="image/png")

    response = officer_client.post(ADD_URL, release_form(versions=[FRENCH], attachments=[photo]))

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.filename, attachment.title) == (
        "image",
        "place.png",
        {"fr": "Fichier", "en": "File"},
    )
    assert attachment.thumbnail.name.endswith("/place.jpg")


@pytest.mark.parametrize("count", [1, 30])
def test_release_list_shows_languages_in_constant_queries(
    officer_client, django_assert_num_queries, count
):
    for number in range(count):
        version = ReleaseVersionFactory(language="fr", title=f"R{number}")
    ReleaseVersionFactory(release=version.release, language="en", slug="english")

    with django_assert_num_queries(11):
        response = officer_client.get("/admin/releases/release/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<span class="language-badge present" title="French: written">FR</span>') == (
        count
    )
    assert html.count(
        '<span class="language-badge missing" title="English: missing">EN</span>'
    ) == (count - 1)


def test_release_publish_button_records_who(officer_client, officer):
    version = ReleaseVersionFactory(
        release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    )
    release = version.release

    response = officer_client.post(f"/admin/releases/release/{release.pk}/status/publish/")

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    assert ReleaseStatusChange.objects.get().changed_by == officer


def test_release_transition_refused_says_why_and_changes_nothing(officer_client):
    release = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)

    response = officer_client.post(f"/admin/releases/release/{release.pk}/status/archive/")

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Only a published release can be archived; this one is draft."]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT
    assert ReleaseStatusChange.objects.count() == 0


def test_release_transition_needs_post_and_change_permission(client, staff_user):
    release = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    ReleaseVersionFactory(release=release)
    client.force_login(staff_user(permissions.VIEWER))

    assert client.get(f"/admin/releases/release/{release.pk}/status/publish/").status_code == 405
    assert client.post(f"/admin/releases/release/{release.pk}/status/publish/").status_code == 403
    assert client.get(f"/admin/releases/release/{release.pk}/schedule/").status_code == 403
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT


def test_release_schedule_form_sets_a_future_time(officer_client):
    release = ReleaseVersionFactory(
        release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    ).release
    at = timezone.localtime() + dt.timedelta(days=2)
    page = officer_client.get(f"/admin/releases/release/{release.pk}/schedule/")
    assert page.status_code == 200
    assert 'name="publish_at_0"' in page.content.decode()

    response = officer_client.post(
        f"/admin/releases/release/{release.pk}/schedule/",
        {"publish_at_0": at.strftime("%Y-%m-%d"), "publish_at_1": at.strftime("%H:%M:%S")},
    )

    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SCHEDULED
    assert release.publish_at == at.replace(microsecond=0)


def test_release_schedule_form_refuses_a_past_time(officer_client):
    release = ReleaseVersionFactory(
        release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    ).release
    at = timezone.localtime() - dt.timedelta(days=2)

    response = officer_client.post(
        f"/admin/releases/release/{release.pk}/schedule/",
        {"publish_at_0": at.strftime("%Y-%m-%d"), "publish_at_1": at.strftime("%H:%M:%S")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["publish_at"] == [
        "Choose a publication time in the future."
    ]
    release.refresh_from_db()
    assert (release.status, release.publish_at) == (ReleaseStatus.DRAFT, None)


def test_release_bulk_publish_reports_the_ones_refused(officer_client):
    ready = ReleaseVersionFactory(
        release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    ).release
    empty = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)

    response = officer_client.post(
        "/admin/releases/release/",
        {"action": "publish_selected", "_selected_action": [ready.pk, empty.pk]},
    )

    assert response.status_code == 302
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert (ready.status, empty.status) == (ReleaseStatus.PUBLISHED, ReleaseStatus.DRAFT)
    assert len(list(get_messages(response.wsgi_request))) == 2


def test_release_change_page_offers_previews_and_the_allowed_actions(officer_client):
    published = ReleaseVersionFactory(language="en").release
    draft = ReleaseVersionFactory(
        release=ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)
    ).release

    published_page = officer_client.get(f"/admin/releases/release/{published.pk}/change/")
    draft_page = officer_client.get(f"/admin/releases/release/{draft.pk}/change/")

    html = published_page.content.decode()
    assert f'href="/admin/releases/release/{published.pk}/preview/en/"' in html
    assert f"/admin/releases/release/{published.pk}/preview/fr/" not in html
    assert [name for name, _label in published_page.context["transitions"]] == [
        "unpublish",
        "archive",
    ]
    assert f'href="/admin/releases/release/{published.pk}/schedule/"' not in html
    assert [name for name, _label in draft_page.context["transitions"]] == ["publish"]
    assert f'href="/admin/releases/release/{draft.pk}/schedule/"' in draft_page.content.decode()


def test_release_change_page_links_to_a_new_mailing_of_this_release(officer_client):
    release = ReleaseVersionFactory(language="en").release
    empty = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)

    html = officer_client.get(f"/admin/releases/release/{release.pk}/change/").content.decode()
    empty_html = officer_client.get(f"/admin/releases/release/{empty.pk}/change/").content.decode()

    assert f'href="/admin/mailings/mailing/add/?release={release.pk}"' in html
    assert "/admin/mailings/mailing/add/?release=" not in empty_html
