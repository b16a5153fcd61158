from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("", views.archive_message_list_view, name="message-list"),
    path("<int:pk>/send-igjen/", views.archive_message_send_again_view, name="message-send-again"),
]
