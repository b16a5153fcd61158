from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="person-list"),
    path("ny/", views.person_create_view, name="person-create"),
    path("<int:pk>/", views.person_detail_view, name="person-detail"),
    path("<int:pk>/inviter/", views.person_invite_view, name="person-invite"),
    path("<int:pk>/deaktiver/", views.person_deactivate_view, name="person-deactivate"),
    path("<int:pk>/aktiver/", views.person_reactivate_view, name="person-reactivate"),
    path("invitasjon/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]
