from django.urls import path

from press.views import mailings

app_name = "mailings"
urlpatterns = [
    path("unsubscribe/<str:token>/", mailings.unsubscribe, name="unsubscribe"),
]
