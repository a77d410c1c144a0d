"""The desk's URLs, under /office/checkin/; the service worker lives here too so that
its scope covers the page."""

from django.urls import path
from django.views.i18n import set_language

from press.checkin import views

app_name = "checkin"

urlpatterns = [
    path("", views.scan, name="scan"),
    path("hold/", views.hold, name="hold"),
    path("search/", views.search, name="search"),
    path("desk/", views.set_desk, name="desk"),
    path("language/", views.desk_required(set_language), name="language"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("day-list/", views.day_list, name="day_list"),
    path("sync/", views.sync, name="sync"),
    path("lists/<slug:which>/", views.lists, name="lists"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("service-worker.js", views.service_worker, name="service_worker"),
]
