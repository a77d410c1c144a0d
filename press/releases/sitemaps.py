"""Sitemaps: the newsroom in each language and every public release version."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from press.releases.models import Release, ReleaseVersion


class NewsroomSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self):
        return ["newsroom:index"]

    def location(self, item):
        return reverse(item)


class ReleaseSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            ReleaseVersion.objects.filter(release__in=Release.objects.public())
            .select_related("release")
            .order_by("-release__publish_at", "language")
        )

    def lastmod(self, item):
        return item.release.updated_at


SITEMAPS = {"newsroom": NewsroomSitemap, "releases": ReleaseSitemap}
