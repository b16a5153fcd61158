from django.urls import path

from . import views

app_name = "oparl"

_KIND = "<slug:kind>/<int:pk>"

urlpatterns = [
    path("system", views.system_view, name="system"),
    path("body", views.body_list_view, name="body-list"),
    path("body/<int:pk>", views.body_view, name="body"),
    path("body/<int:pk>/organization", views.body_organizations_view, name="body-organizations"),
    path("body/<int:pk>/person", views.body_people_view, name="body-people"),
    path("body/<int:pk>/membership", views.body_memberships_view, name="body-memberships"),
    path("body/<int:pk>/meeting", views.body_meetings_view, name="body-meetings"),
    path("body/<int:pk>/agendaitem", views.body_agenda_items_view, name="body-agenda-items"),
    path("body/<int:pk>/paper", views.body_papers_view, name="body-papers"),
    path("body/<int:pk>/consultation", views.body_consultations_view, name="body-consultations"),
    path("body/<int:pk>/file", views.body_files_view, name="body-files"),
    path("body/<int:pk>/location", views.body_locations_view, name="body-locations"),
    path("body/<int:pk>/legislativeterm", views.body_legislative_terms_view, name="body-legislative-terms"),
    path(f"organization/{_KIND}", views.organization_view, name="organization"),
    path("legislativeterm/<int:pk>", views.legislative_term_view, name="legislative-term"),
    path("person/<int:pk>", views.person_view, name="person"),
    path("membership/<int:pk>", views.membership_view, name="membership"),
    path("meeting/<int:pk>", views.meeting_view, name="meeting"),
    path("agendaitem/<int:pk>", views.agenda_item_view, name="agenda-item"),
    path("location/<int:pk>", views.location_view, name="location"),
    path(f"paper/{_KIND}", views.paper_view, name="paper"),
    path(f"consultation/{_KIND}", views.consultation_view, name="consultation"),
    path(f"file/{_KIND}", views.file_view, name="file"),
    path(f"file/{_KIND}/download", views.file_download_view, name="file-download"),
]
