from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.agreement_index_view, name="index"),
    path("ny/", views.agreement_create_view, name="agreement-create"),
    path("<int:pk>/", views.agreement_detail_view, name="agreement-detail"),
    path("<int:pk>/pdf/", views.agreement_pdf_view, name="agreement-pdf"),
    path("<int:pk>/forhandling/", views.agreement_negotiate_view, name="agreement-negotiate"),
    path("<int:pk>/vedta/", views.agreement_adopt_view, name="agreement-adopt"),
    path("<int:pk>/skjerming/", views.agreement_screening_view, name="agreement-screening"),
    path("<int:pk>/periode/", views.agreement_term_view, name="agreement-term"),
    path("<int:pk>/videreforing/", views.agreement_continue_view, name="agreement-continue"),
    path(
        "<int:pk>/gjeldende-generell-del/",
        views.agreement_use_current_general_part_view,
        name="agreement-use-current-general-part",
    ),
    path("generell-del/ny/", views.general_part_create_view, name="general-part-create"),
    path("generell-del/<int:pk>/", views.general_part_detail_view, name="general-part-detail"),
    path("generell-del/<int:pk>/rediger/", views.general_part_edit_view, name="general-part-edit"),
    path("generell-del/<int:pk>/ny-versjon/", views.general_part_revise_view, name="general-part-revise"),
    path("generell-del/<int:pk>/horing/", views.general_part_consult_view, name="general-part-consult"),
    path("generell-del/<int:pk>/vedta/", views.general_part_adopt_view, name="general-part-adopt"),
    path("generell-del/<int:pk>/historikk/", views.general_part_history_view, name="general-part-history"),
    path("spesiell-del/<int:pk>/", views.special_part_detail_view, name="special-part-detail"),
    path("spesiell-del/<int:pk>/rediger/", views.special_part_edit_view, name="special-part-edit"),
    path("spesiell-del/<int:pk>/virkemidler/", views.special_part_instruments_view, name="special-part-instruments"),
    path("spesiell-del/<int:pk>/kunnskapsgrunnlag/", views.special_part_knowledge_view, name="special-part-knowledge"),
    path("spesiell-del/<int:pk>/ny-versjon/", views.special_part_revise_view, name="special-part-revise"),
    path("spesiell-del/<int:pk>/historikk/", views.special_part_history_view, name="special-part-history"),
    path("spesiell-del/<int:pk>/forhandling/", views.special_part_negotiation_view, name="special-part-negotiation"),
    path("vedlegg/<int:pk>/", views.knowledge_reference_download_view, name="knowledge-download"),
    path("forslag/<int:pk>/godta/", views.proposal_accept_view, name="proposal-accept"),
    path("forslag/<int:pk>/avvis/", views.proposal_reject_view, name="proposal-reject"),
]
