from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list_view, name="index"),
    path("sak/<int:pk>/motekart/", views.case_agenda_add_view, name="case-agenda-add"),
    path("kalender/", views.meeting_calendar_view, name="calendar-current"),
    path("kalender/<int:year>/<int:month>/", views.meeting_calendar_view, name="calendar"),
    path("mine/", views.my_meetings_view, name="mine"),
    path("fylkesrad/", views.councillor_overview_view, name="councillors"),
    path("nytt/", views.meeting_create_view, name="meeting-create"),
    path("serier/", views.series_list_view, name="series-list"),
    path("serier/ny/", views.series_create_view, name="series-create"),
    path("serier/<int:pk>/", views.series_detail_view, name="series-detail"),
    path("serier/<int:pk>/generer/", views.series_generate_view, name="series-generate"),
    path("<int:pk>/", views.meeting_detail_view, name="meeting-detail"),
    path("<int:pk>/endre/", views.meeting_edit_view, name="meeting-edit"),
    path("<int:pk>/flytt/", views.meeting_move_view, name="meeting-move"),
    path("<int:pk>/avlys/", views.meeting_cancel_view, name="meeting-cancel"),
    path("<int:pk>/publiser/", views.meeting_publish_view, name="meeting-publish"),
    path("<int:pk>/avholdt/", views.meeting_held_view, name="meeting-held"),
    path("<int:pk>/sakliste/", views.agenda_builder_view, name="agenda-builder"),
    path("<int:pk>/sakliste/sak/", views.agenda_case_add_view, name="agenda-case-add"),
    path("<int:pk>/foresla/", views.agenda_propose_view, name="agenda-propose"),
    path("<int:pk>/deltakere/", views.participant_add_view, name="participant-add"),
    path("<int:pk>/referat/", views.minutes_edit_view, name="minutes-edit"),
    path("<int:pk>/referansegruppe/", views.reference_input_view, name="reference-input"),
    path("<int:pk>/<slug:document>.pdf", views.meeting_pdf_view, name="meeting-pdf"),
    path("<int:pk>/mote.ics", views.meeting_ics_view, name="meeting-ics"),
    path("punkt/<int:pk>/flytt/", views.agenda_item_move_view, name="agenda-item-move"),
    path("punkt/<int:pk>/status/", views.agenda_item_state_view, name="agenda-item-state"),
    path("deltaker/<int:pk>/status/", views.participant_status_view, name="participant-status"),
    path("abonnement/", views.feed_create_view, name="feed-create"),
    path("abonnement/<int:pk>/ny/", views.feed_revoke_view, name="feed-revoke"),
    path("kalender/<str:token>.ics", views.feed_view, name="feed"),
]
