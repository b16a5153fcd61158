from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("les/", views.notification_mark_read_view, name="mark-read"),
]
