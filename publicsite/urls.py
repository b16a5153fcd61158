from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("region/<slug:slug>/", views.region_view, name="region"),
    path("fylke/", views.county_view, name="county"),
    path("sok/", views.search_view, name="search"),
    path("sak/<str:key>/", views.case_view, name="case"),
    path("mote/<int:pk>/", views.meeting_view, name="meeting"),
    path("region/<slug:slug>/kalender.ics", views.region_feed_view, name="region-feed"),
]
