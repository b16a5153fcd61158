from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index_view, name="index"),
    path("<int:county>/<int:year>/", views.report_view, name="report"),
    path("<int:county>/<int:year>/pdf/", views.report_pdf_view, name="report-pdf"),
    path("<int:county>/<int:year>/word/", views.report_docx_view, name="report-docx"),
    path("<int:county>/<int:year>/odt/", views.report_odt_view, name="report-odt"),
]
