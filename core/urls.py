from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("tilgjengelighet/", views.accessibility_view, name="accessibility"),
]
