"""The public newsroom, inside the language prefix: /fr/…, /en/…"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from press.releases import views
from press.releases.caching import newsroom_cached
from press.releases.feeds import ReleaseFeed

app_name = "newsroom"

urlpatterns = [
    # Public pages, cached per language until a release changes (press.releases.caching).
    path("", newsroom_cached(views.index), name="index"),
    path(_("releases/feed.xml"), newsroom_cached(ReleaseFeed()), name="feed"),
    path(_("releases/<slug:slug>/"), newsroom_cached(views.release), name="release"),
    path(_("releases/<int:pk>/media-kit/"), views.media_kit, name="media_kit"),
    path(_("files/<int:pk>/"), views.attachment_download, name="attachment"),
    path(_("contacts/<int:pk>/vcard/"), views.contact_card, name="contact_card"),
    path(_("subscribe/"), views.subscribe, name="subscribe"),
    path(_("subscribe/sent/"), views.subscribe_sent, name="subscribe_sent"),
    path(_("subscribe/confirm/<str:token>/"), views.subscribe_confirm, name="subscribe_confirm"),
    # Personal links of a release's recipients (see press.releases.access).
    path(_("releases/read/<str:token>/"), views.release_personal, name="personal"),
    path(
        _("releases/read/<str:token>/files/<int:pk>/"),
        views.release_personal_attachment,
        name="personal_attachment",
    ),
    path(
        _("releases/read/<str:token>/media-kit/"),
        views.release_personal_media_kit,
        name="personal_media_kit",
    ),
]
