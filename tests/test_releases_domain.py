import datetime as dt

import pytest
from django.utils import timezone, translation

from press.releases.enums import ReleaseStatus
from press.releases.models import Release, ReleaseStatusChange
from press.releases.publishing import (
    ReleaseError,
    release_archive,
    release_publish,
    release_schedule,
    release_unpublish,
    version_slug,
)
from tests.factories import ReleaseFactory, ReleaseVersionFactory

pytestmark = pytest.mark.django_db


def draft(**kwargs):
    release = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None, **kwargs)
    ReleaseVersionFactory(release=release)
    return release


def test_release_publish_draft_goes_public_and_records_who(officer):
    release = draft()

    release_publish(release=release, by=officer)

    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    assert release.publish_at <= timezone.now()
    assert release.updated_by == officer
    assert list(Release.objects.public()) == [release]
    change = ReleaseStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        ReleaseStatus.DRAFT,
        ReleaseStatus.PUBLISHED,
        officer,
    )
    assert change.publish_at == release.publish_at


def test_release_publish_updates_the_callers_copy(officer):
    release = draft()

    returned = release_publish(release=release, by=officer)

    assert returned is release
    assert release.status == ReleaseStatus.PUBLISHED


def test_release_publish_backdated_keeps_the_given_time(officer):
    release = draft()
    at = timezone.now() - dt.timedelta(days=3)

    release_publish(release=release, by=officer, at=at)

    release.refresh_from_db()
    assert release.publish_at == at


def test_release_publish_in_the_future_is_refused(officer):
    release = draft()

    with pytest.raises(ReleaseError) as error:
        release_publish(release=release, by=officer, at=timezone.now() + dt.timedelta(hours=1))

    assert error.value.code == "publish_time_in_future"
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT
    assert ReleaseStatusChange.objects.count() == 0


def test_release_publish_without_versions_is_refused(officer):
    release = ReleaseFactory(status=ReleaseStatus.DRAFT, publish_at=None)

    with pytest.raises(ReleaseError) as error:
        release_publish(release=release, by=officer)

    assert error.value.code == "no_versions"
    with translation.override("en"):
        assert str(error.value) == "Write at least one language version before publishing."
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT


@pytest.mark.parametrize("status", [ReleaseStatus.PUBLISHED, ReleaseStatus.ARCHIVED])
def test_release_publish_twice_is_refused(officer, status):
    release = ReleaseFactory(status=status)
    ReleaseVersionFactory(release=release)
    before = release.publish_at

    with pytest.raises(ReleaseError) as error:
        release_publish(release=release, by=officer)

    assert error.value.code == "not_publishable"
    release.refresh_from_db()
    assert (release.status, release.publish_at) == (status, before)


def test_release_schedule_hides_until_the_time_then_shows_without_a_job(officer):
    release = draft()
    at = timezone.now() + dt.timedelta(hours=2)

    release_schedule(release=release, by=officer, at=at)

    release.refresh_from_db()
    assert (release.status, release.publish_at) == (ReleaseStatus.SCHEDULED, at)
    assert list(Release.objects.public()) == []
    assert list(Release.objects.public(at=at + dt.timedelta(seconds=1))) == [release]


def test_release_schedule_again_moves_the_time(officer):
    release = draft()
    first = timezone.now() + dt.timedelta(hours=2)
    second = timezone.now() + dt.timedelta(days=2)
    release_schedule(release=release, by=officer, at=first)

    release_schedule(release=release, by=officer, at=second)

    release.refresh_from_db()
    assert release.publish_at == second
    assert ReleaseStatusChange.objects.count() == 2


def test_release_schedule_in_the_past_is_refused(officer):
    release = draft()

    with pytest.raises(ReleaseError) as error:
        release_schedule(release=release, by=officer, at=timezone.now() - dt.timedelta(minutes=1))

    assert error.value.code == "schedule_time_in_past"
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT


def test_release_schedule_published_is_refused(officer):
    release = ReleaseFactory(status=ReleaseStatus.PUBLISHED)
    ReleaseVersionFactory(release=release)

    with pytest.raises(ReleaseError) as error:
        release_schedule(release=release, by=officer, at=timezone.now() + dt.timedelta(days=1))

    assert error.value.code == "not_schedulable"


def test_release_scheduled_can_be_published_now(officer):
    release = draft()
    release_schedule(release=release, by=officer, at=timezone.now() + dt.timedelta(days=1))

    release_publish(release=release, by=officer)

    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    assert list(Release.objects.public()) == [release]


@pytest.mark.parametrize(
    "status", [ReleaseStatus.SCHEDULED, ReleaseStatus.PUBLISHED, ReleaseStatus.ARCHIVED]
)
def test_release_unpublish_goes_back_to_draft(officer, status):
    release = ReleaseFactory(status=status)
    ReleaseVersionFactory(release=release)

    release_unpublish(release=release, by=officer)

    release.refresh_from_db()
    assert (release.status, release.publish_at) == (ReleaseStatus.DRAFT, None)
    assert list(Release.objects.public()) == []
    change = ReleaseStatusChange.objects.get()
    assert (change.from_status, change.to_status) == (status, ReleaseStatus.DRAFT)


def test_release_unpublish_draft_is_refused(officer):
    release = draft()

    with pytest.raises(ReleaseError) as error:
        release_unpublish(release=release, by=officer)

    assert error.value.code == "already_draft"


def test_release_archive_takes_it_off_the_newsroom(officer):
    release = ReleaseFactory(status=ReleaseStatus.PUBLISHED)
    ReleaseVersionFactory(release=release)
    published_at = release.publish_at

    release_archive(release=release, by=officer)

    release.refresh_from_db()
    assert (release.status, release.publish_at) == (ReleaseStatus.ARCHIVED, published_at)
    assert list(Release.objects.public()) == []


@pytest.mark.parametrize("status", [ReleaseStatus.DRAFT, ReleaseStatus.SCHEDULED])
def test_release_archive_unpublished_is_refused(officer, status):
    release = ReleaseFactory(status=status)

    with pytest.raises(ReleaseError) as error:
        release_archive(release=release, by=officer)

    assert error.value.code == "not_archivable"
    release.refresh_from_db()
    assert release.status == status


def test_release_embargoed_stays_hidden_until_the_embargo_lifts():
    embargo = timezone.now() + dt.timedelta(days=1)
    release = ReleaseFactory(embargo_until=embargo)

    assert list(Release.objects.public()) == []
    assert release.is_embargoed()
    assert not release.is_public()
    assert list(Release.objects.public(at=embargo)) == [release]
    assert release.is_public(at=embargo)


def test_version_slug_is_unique_per_language():
    ReleaseVersionFactory(language="fr", slug="sommet-de-bruxelles")
    ReleaseVersionFactory(language="fr", slug="sommet-de-bruxelles-2")

    assert version_slug(title="Sommet de Bruxelles", language="fr") == "sommet-de-bruxelles-3"
    assert version_slug(title="Sommet de Bruxelles", language="en") == "sommet-de-bruxelles"
    assert version_slug(title="!!!", language="en") == "communique"
