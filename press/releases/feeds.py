"""An Atom feed of the newsroom per language: exactly what the newsroom shows, since
it reads through the same query (embargo and schedule included)."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from press.events.selectors import current_event
from press.releases.forms import newsroom_filter_form
from press.releases.models import ReleaseVersion
from press.releases.selectors import newsroom_releases

FEED_SIZE = 30


class ReleaseFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        event = current_event()
        return _("%(event)s — press releases") % {"event": event} if event else _("Press releases")

    def subtitle(self):
        return _("Press releases in %(language)s") % {
            "language": translation.get_language_info(translation.get_language())["name_local"]
        }

    def get_object(self, request, *args, **kwargs):
        """The newsroom's filters (`?q=`, `?topic=`, `?event=`, `?year=`), as on its
        index; invalid ones are ignored, as there."""
        return newsroom_filter_form(request.GET).filters()

    def link(self, obj):
        query = urlencode(obj or {})
        return reverse("newsroom:index") + (f"?{query}" if query else "")

    def items(self, obj):
        return (
            ReleaseVersion.objects.filter(
                language=translation.get_language(),
                release__in=newsroom_releases(**(obj or {})).order_by(),
            )
            .select_related("release")
            .order_by("-release__publish_at", "-release_id")[:FEED_SIZE]
        )

    def item_description(self, item):
        return item.summary()

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.release.publish_at

    def item_updateddate(self, item):
        return item.release.updated_at
