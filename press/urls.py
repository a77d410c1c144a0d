"""Root URLs. Public pages live under a language prefix (/fr/…, /en/…); the back office,
webhooks and private files do not. Each area keeps its own urls.py."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from press.accreditation.urls import private_urlpatterns as accreditation_private
from press.checkin.views import office_index
from press.core import views as core_views
from press.releases.sitemaps import SITEMAPS

urlpatterns = [
    # For load balancers: the database answers and is migrated (press.core.views).
    path("healthz", core_views.healthz, name="healthz"),
    # The check-in desk lands on its page, not on an empty back-office index.
    path("admin/", office_index),
    path("admin/", admin.site.urls),
    # The back office's own pages beside the admin: badges, the desk, the dashboard.
    path("office/badges/", include("press.badges.urls")),
    path("office/checkin/", include("press.checkin.urls")),
    path("office/dashboard/", include("press.dashboard.urls")),
    # Provider events (delivered, opened, bounced…); refused without ANYMAIL_WEBHOOK_SECRET.
    path("anymail/", include("press.mailings.webhooks")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Photos and press cards: staff only, never under MEDIA_URL.
    path("private/", include(accreditation_private)),
]
# Public media (release files, thumbnails) in development; a web server serves them in
# production. static() adds nothing when DEBUG is off.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("press.releases.urls")),
    path("accreditation/", include("press.accreditation.urls")),
    path("mailings/", include("press.mailings.urls")),
    path("coverage/", include("press.coverage.urls")),
)

# Error pages in the URL's language, with the site's header (press.core.views).
handler403 = "press.core.views.permission_denied"
handler404 = "press.core.views.page_not_found"
handler500 = "press.core.views.server_error"
