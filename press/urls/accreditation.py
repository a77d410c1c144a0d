"""Public accreditation pages, inside the language prefix: /fr/accreditation/…"""

from django.urls import path

from press.views import accreditation

app_name = "accreditation"

urlpatterns = [
    path("", accreditation.request_form, name="request"),
    path("sent/", accreditation.submitted, name="submitted"),
    path("privacy/", accreditation.privacy, name="privacy"),
    path("status/<str:token>/", accreditation.status, name="status"),
    path("status/<str:token>/withdraw/", accreditation.withdraw, name="withdraw"),
]
