from django.urls import path

from . import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_index_view, name="index"),
    path("ny/", views.round_open_view, name="round-open"),
    path("<int:pk>/", views.round_detail_view, name="round-detail"),
    path("<int:pk>/lukk/", views.round_close_view, name="round-close"),
    path("<int:pk>/sendt/", views.round_sent_view, name="round-sent"),
    path("<int:pk>/samlet.pdf", views.round_pdf_view, name="round-pdf"),
    path("<int:pk>/samlet.docx", views.round_docx_view, name="round-docx"),
    path("bidrag/<int:pk>/", views.contribution_detail_view, name="contribution-detail"),
    path("bidrag/<int:pk>/send/", views.contribution_submit_view, name="contribution-submit"),
    path("bidrag/<int:pk>/vedlegg/", views.attachment_add_view, name="attachment-add"),
    path("bidrag/<int:pk>/forankring/", views.anchoring_add_view, name="anchoring-add"),
    path("vedlegg/<int:pk>/", views.attachment_download_view, name="attachment-download"),
]
