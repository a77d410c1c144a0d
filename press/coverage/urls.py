"""Coverage URLs: the journalist's personal page, inside the language prefix
(/fr/coverage/…, /en/coverage/…)."""

from django.urls import path

from press.coverage import views

app_name = "coverage"
urlpatterns = [
    path("share/<str:token>/", views.submit, name="submit"),
]
