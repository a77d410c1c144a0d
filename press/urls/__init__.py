"""Root URLs. Public pages live under a language prefix (/fr/…, /en/…); the back office,
webhooks and files do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path

from press.views import public

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", public.home, name="home"),
)
