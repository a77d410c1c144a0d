"""Accreditation URLs: the public pages, inside the language prefix (/fr/accreditation/…),
and the staff-only private files, outside it (/private/…)."""

from django.urls import path

from press.accreditation import views

app_name = "accreditation"

urlpatterns = [
    path("", views.request_form, name="request"),
    path("sent/", views.submitted, name="submitted"),
    path("privacy/", views.privacy, name="privacy"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/withdraw/", views.withdraw, name="withdraw"),
]

private_urlpatterns = [
    path(
        "badge-requests/<int:pk>/<str:kind>/",
        views.private_file,
        name="badge_request_file",
    ),
]
