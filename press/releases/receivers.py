"""What the releases area does when something happens: whatever a public newsroom
page shows is saved or deleted, its cached pages are forgotten (press.releases.caching)."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from press.releases.caching import newsroom_changed

DISPATCH = "press.releases.newsroom_cache"


def on_newsroom_content_changed(sender: Any, **kwargs: Any) -> None:
    newsroom_changed()


def connect() -> None:
    """Hook the receivers up (from ReleasesConfig.ready)."""
    from press.events.models import Event
    from press.releases.models import (
        Attachment,
        Boilerplate,
        PressContact,
        Release,
        ReleaseVersion,
        Topic,
    )

    receiver = on_newsroom_content_changed
    for model in (Release, ReleaseVersion, Attachment, Topic, PressContact, Boilerplate, Event):
        name = f"{DISPATCH}:{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}:save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}:delete")
    for through in (Release.topics.through, Release.contacts.through):
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{DISPATCH}:{through.__name__}")
