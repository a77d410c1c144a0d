from django.urls import path

from press.badges import views

app_name = "badges"
urlpatterns = [
    path("print/", views.print_pending, name="print"),
    path("print/selected/", views.print_selected, name="print_selected"),
]
