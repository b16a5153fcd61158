from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_year_index_view, name="index"),
    path("ny/", views.fund_year_create_view, name="year-create"),
    path("oversikt/", views.overview_view, name="overview"),
    path("oversikt/excel/", views.overview_export_view, name="overview-export"),
    path("<int:pk>/", views.fund_year_detail_view, name="year-detail"),
    path("<int:pk>/excel/", views.fund_year_export_view, name="year-export"),
    path("<int:pk>/inntekt/", views.income_add_view, name="income-add"),
    path("<int:pk>/prosjekt/", views.project_add_view, name="project-add"),
    path("<int:pk>/tildeling/", views.allocation_add_view, name="allocation-add"),
    path("inntekt/<int:pk>/", views.income_edit_view, name="income-edit"),
    path("tildeling/<int:pk>/", views.allocation_edit_view, name="allocation-edit"),
    path("tildeling/<int:pk>/utbetaling/", views.payment_add_view, name="payment-add"),
    path("tildeling/<int:pk>/bruk/", views.use_report_add_view, name="use-add"),
]
