from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="index"),
    path("eksport/<str:fmt>/", views.case_export_view, name="export"),
    path("eksport/fil/<int:pk>/", views.export_download_view, name="export-download"),
    path("ny/", views.case_create_view, name="case-create"),
    path("innboks/", views.inbox_view, name="inbox"),
    path("innboks/tema/", views.topic_mapping_view, name="topic-mapping"),
    path("temaer/", views.topic_list_view, name="topic-list"),
    path("temaer/ny/", views.topic_create_view, name="topic-create"),
    path("temaer/<int:pk>/", views.topic_edit_view, name="topic-edit"),
    path("sporing/", views.tracking_view, name="tracking"),
    path("<int:pk>/", views.case_detail_view, name="case-detail"),
    path("<int:pk>/endre/", views.case_update_view, name="case-update"),
    path("<int:pk>/steg/<slug:step>/", views.case_step_view, name="case-step"),
    path("<int:pk>/vedlegg/", views.attachment_upload_view, name="attachment-upload"),
    path("<int:pk>/skjerming/", views.case_screening_view, name="case-screening"),
    path("vedlegg/<int:pk>/skjerming/", views.attachment_screening_view, name="attachment-screening"),
    path("<int:pk>/forankring/", views.anchoring_record_view, name="anchoring-record"),
    path("forankring/<int:pk>/slett/", views.anchoring_remove_view, name="anchoring-remove"),
    path("vedlegg/<int:pk>/", views.attachment_download_view, name="attachment-download"),
    path("ruting/<int:pk>/kvitter/", views.routing_acknowledge_view, name="routing-acknowledge"),
    path("ruting/<int:pk>/svar/", views.routing_answer_view, name="routing-answer"),
    path("foresporsel/<int:pk>/svar/", views.region_request_answer_view, name="region-request-answer"),
]
