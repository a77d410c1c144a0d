"""Public mailing URLs, inside the language prefix: /fr/mailings/…"""

from django.urls import path

from press.mailings import views

app_name = "mailings"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
