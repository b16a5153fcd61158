from django.urls import path

from . import views

app_name = "oparl"

_KIND = "<slug:kind>/<int:pk>"

urlpatterns = [
    # The OpenAPI 3.1 description of the API below (a static document: oparl/openapi.json).
    path("openapi.json", views.openapi_view, name="openapi"),
    path("v1/system", views.system_view, name="system"),
    path("v1/body", views.body_list_view, name="body-list"),
    path("v1/body/<int:pk>", views.body_view, name="body"),
    path("v1/body/<int:pk>/organization", views.body_organizations_view, name="body-organizations"),
    path("v1/body/<int:pk>/person", views.body_people_view, name="body-people"),
    path("v1/body/<int:pk>/membership", views.body_memberships_view, name="body-memberships"),
    path("v1/body/<int:pk>/meeting", views.body_meetings_view, name="body-meetings"),
    path("v1/body/<int:pk>/agendaitem", views.body_agenda_items_view, name="body-agenda-items"),
    path("v1/body/<int:pk>/paper", views.body_papers_view, name="body-papers"),
    path("v1/body/<int:pk>/consultation", views.body_consultations_view, name="body-consultations"),
    path("v1/body/<int:pk>/file", views.body_files_view, name="body-files"),
    path("v1/body/<int:pk>/location", views.body_locations_view, name="body-locations"),
    path("v1/body/<int:pk>/legislativeterm", views.body_legislative_terms_view, name="body-legislative-terms"),
    path(f"v1/organization/{_KIND}", views.organization_view, name="organization"),
    path("v1/legislativeterm/<int:pk>", views.legislative_term_view, name="legislative-term"),
    path("v1/person/<int:pk>", views.person_view, name="person"),
    path("v1/membership/<int:pk>", views.membership_view, name="membership"),
    path("v1/meeting/<int:pk>", views.meeting_view, name="meeting"),
    path("v1/agendaitem/<int:pk>", views.agenda_item_view, name="agenda-item"),
    path("v1/location/<int:pk>", views.location_view, name="location"),
    path(f"v1/paper/{_KIND}", views.paper_view, name="paper"),
    path(f"v1/consultation/{_KIND}", views.consultation_view, name="consultation"),
    path(f"v1/file/{_KIND}", views.file_view, name="file"),
    path(f"v1/file/{_KIND}/download", views.file_download_view, name="file-download"),
]
