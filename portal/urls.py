from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("tilgjengelighet/", views.accessibility_view, name="accessibility"),
]
