"""The public newsroom, inside the language prefix: /fr/…, /en/…"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from press.feeds import ReleaseFeed
from press.views import newsroom

app_name = "newsroom"

urlpatterns = [
    path("", newsroom.index, name="index"),
    path(_("releases/feed.xml"), ReleaseFeed(), name="feed"),
    path(_("releases/<slug:slug>/"), newsroom.release, name="release"),
    path(_("releases/<int:pk>/media-kit/"), newsroom.media_kit, name="media_kit"),
    path(_("files/<int:pk>/"), newsroom.attachment_download, name="attachment"),
]
