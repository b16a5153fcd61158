from django.urls import path

from . import views

app_name = "themes"
urlpatterns = [
    path("", views.group_index_view, name="index"),
    path("ny/", views.group_create_view, name="group-create"),
    path("<int:pk>/", views.group_detail_view, name="group-detail"),
    path("<int:pk>/endre/", views.group_edit_view, name="group-edit"),
    path("<int:pk>/medlem/", views.member_add_view, name="member-add"),
    path("<int:pk>/sak/", views.case_add_view, name="case-add"),
    path("<int:pk>/mote/", views.meeting_add_view, name="meeting-add"),
    path("medlem/<int:pk>/fjern/", views.member_remove_view, name="member-remove"),
    path("sak/<int:pk>/fjern/", views.case_remove_view, name="case-remove"),
    path("mote/<int:pk>/fjern/", views.meeting_remove_view, name="meeting-remove"),
]
