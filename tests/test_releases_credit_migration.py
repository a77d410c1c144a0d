"""The migration that makes photo credits translatable keeps every existing credit."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("releases", "0003_topics_and_search")]
AFTER = [("releases", "0004_translated_photo_credits")]


@pytest.mark.django_db(transaction=True)
def test_existing_credits_become_the_default_languages_and_come_back(settings):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    release = old.get_model("releases", "Release").objects.create(status="draft")
    Attachment = old.get_model("releases", "Attachment")
    credited = Attachment.objects.create(release=release, file="a.jpg", credit="Jean Photo")
    uncredited = Attachment.objects.create(release=release, file="b.pdf", credit="")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("releases", "Attachment")

    assert new.objects.get(pk=credited.pk).credit == {settings.LANGUAGE_CODE: "Jean Photo"}
    assert new.objects.get(pk=uncredited.pk).credit == {}

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    back = executor.loader.project_state(BEFORE).apps.get_model("releases", "Attachment")
    assert back.objects.get(pk=credited.pk).credit == "Jean Photo"
    assert back.objects.get(pk=uncredited.pk).credit == ""

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
