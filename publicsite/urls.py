from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("region/<slug:slug>/", views.region_view, name="region"),
]
