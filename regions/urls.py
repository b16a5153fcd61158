from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("fylker/<int:pk>/", views.index_view, name="county-detail"),
    path("eksport.<str:fmt>", views.export_view, name="export"),
    path("regioner/<slug:slug>/", views.region_detail_view, name="region-detail"),
    path("kommuner/<int:pk>/", views.municipality_detail_view, name="municipality-detail"),
    path("radsomrader/", views.council_area_list_view, name="council-area-list"),
    path("radsomrader/<int:pk>/", views.council_area_detail_view, name="council-area-detail"),
    path("medlemskap/ny/", views.membership_start_view, name="membership-start"),
    path("medlemskap/<int:pk>/avslutt/", views.membership_end_view, name="membership-end"),
    path("medlemskap/<int:pk>/flytt/", views.membership_move_view, name="membership-move"),
    path("oppnevninger/ny/", views.appointment_start_view, name="appointment-start"),
    path("oppnevninger/<int:pk>/avslutt/", views.appointment_end_view, name="appointment-end"),
    path("oppnevninger/<int:pk>/forny/", views.appointment_renew_view, name="appointment-renew"),
    path("valgperioder/", views.term_list_view, name="term-list"),
    path("valgperioder/ny/", views.term_create_view, name="term-create"),
    path("valgperioder/<int:pk>/", views.term_detail_view, name="term-detail"),
    path("valgperioder/<int:pk>/import/", views.term_import_view, name="term-import"),
    path("regioner/<slug:slug>/representanter/", views.region_representatives_view, name="region-representatives"),
    path("personer/<int:pk>/", views.person_detail_view, name="person-detail"),
]
