"""Dashboard URLs, in the back office beside the admin (/office/dashboard/…)."""

from django.urls import path

from press.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("charts/<slug:slug>.xlsx", views.chart_xlsx, name="chart"),
    path("funnels.xlsx", views.funnels_xlsx, name="funnels"),
]
